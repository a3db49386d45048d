package demo

// Name pools of the sample: people, places, companies and institutions in
// Thüringen. All people and companies are invented.

var vornamenW = []string{
	"Anna", "Sabine", "Katrin", "Claudia", "Petra", "Monika", "Julia", "Daniela", "Sandra", "Birgit",
	"Heike", "Ines", "Kerstin", "Susanne", "Manuela", "Jana", "Franziska", "Lena", "Marie", "Sophie",
	"Annett", "Doreen", "Ute", "Christine", "Elke", "Nicole", "Antje", "Carolin", "Lea", "Jördis",
}

var vornamenM = []string{
	"Thomas", "Michael", "Andreas", "Stefan", "Frank", "Jens", "Matthias", "Uwe", "Marco", "Jörg",
	"Jürgen", "Torsten", "René", "Steffen", "Sebastian", "Christian", "Martin", "Tobias", "Lukas", "Paul",
	"Holger", "Ralf", "Dirk", "Sven", "Maik", "Björn", "Hans-Peter", "Karl-Heinz", "Felix", "Jonas",
}

var nachnamen = []string{
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
	"Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
	"Braun", "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Herrmann", "König",
	"Kaiser", "Fuchs", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert", "Vogel", "Friedrich",
	"Günther", "Winkler", "Lorenz", "Böhm", "Jäger", "Döring", "Ehrhardt", "Sauerbrey", "Heß", "Wünsch",
	"Rödiger", "Apel", "Gräfe", "Trautvetter", "Büttner", "Ortlepp", "Leidenfrost", "Kühn", "Reichardt", "Schlegel",
}

// vorwahlen are Thuringian dialling codes.
var vorwahlen = []string{"0361", "03641", "0365", "03621", "03677", "03681", "03691", "03601", "03631", "03628", "03643", "03671", "03661", "03447"}

var mailDomains = []string{"web.de", "gmx.de", "t-online.de", "posteo.de", "mailbox.org", "freenet.de"}

type ort struct {
	Name, PLZ, Kreis string
	Kreisfrei        bool
	Schulamt         string
}

const (
	saMitte = "Staatliches Schulamt Mittelthüringen"
	saWest  = "Staatliches Schulamt Westthüringen"
	saNord  = "Staatliches Schulamt Nordthüringen"
	saOst   = "Staatliches Schulamt Ostthüringen"
	saSued  = "Staatliches Schulamt Südthüringen"
)

var schulaemter = []string{saMitte, saWest, saNord, saOst, saSued}

var orte = []ort{
	{"Erfurt", "99084", "Stadt Erfurt", true, saMitte},
	{"Weimar", "99423", "Stadt Weimar", true, saMitte},
	{"Jena", "07743", "Stadt Jena", true, saOst},
	{"Gera", "07545", "Stadt Gera", true, saOst},
	{"Suhl", "98527", "Stadt Suhl", true, saSued},
	{"Eisenach", "99817", "Wartburgkreis", false, saWest},
	{"Gotha", "99867", "Landkreis Gotha", false, saWest},
	{"Nordhausen", "99734", "Landkreis Nordhausen", false, saNord},
	{"Mühlhausen", "99974", "Unstrut-Hainich-Kreis", false, saWest},
	{"Ilmenau", "98693", "Ilm-Kreis", false, saMitte},
	{"Arnstadt", "99310", "Ilm-Kreis", false, saMitte},
	{"Altenburg", "04600", "Landkreis Altenburger Land", false, saOst},
	{"Saalfeld", "07318", "Landkreis Saalfeld-Rudolstadt", false, saOst},
	{"Rudolstadt", "07407", "Landkreis Saalfeld-Rudolstadt", false, saOst},
	{"Sonneberg", "96515", "Landkreis Sonneberg", false, saSued},
	{"Meiningen", "98617", "Landkreis Schmalkalden-Meiningen", false, saSued},
	{"Schmalkalden", "98574", "Landkreis Schmalkalden-Meiningen", false, saSued},
	{"Sömmerda", "99610", "Landkreis Sömmerda", false, saMitte},
	{"Apolda", "99510", "Landkreis Weimarer Land", false, saMitte},
	{"Bad Langensalza", "99947", "Unstrut-Hainich-Kreis", false, saWest},
	{"Heilbad Heiligenstadt", "37308", "Landkreis Eichsfeld", false, saNord},
	{"Leinefelde-Worbis", "37327", "Landkreis Eichsfeld", false, saNord},
	{"Sondershausen", "99706", "Kyffhäuserkreis", false, saNord},
	{"Greiz", "07973", "Landkreis Greiz", false, saOst},
	{"Pößneck", "07381", "Saale-Orla-Kreis", false, saOst},
	{"Schleiz", "07907", "Saale-Orla-Kreis", false, saOst},
	{"Hildburghausen", "98646", "Landkreis Hildburghausen", false, saSued},
	{"Bad Salzungen", "36433", "Wartburgkreis", false, saWest},
	{"Eisenberg", "07607", "Saale-Holzland-Kreis", false, saOst},
	{"Zeulenroda-Triebes", "07937", "Landkreis Greiz", false, saOst},
	{"Bad Frankenhausen", "06567", "Kyffhäuserkreis", false, saNord},
	{"Blankenhain", "99444", "Landkreis Weimarer Land", false, saMitte},
	{"Ohrdruf", "99885", "Landkreis Gotha", false, saWest},
	{"Waltershausen", "99880", "Landkreis Gotha", false, saWest},
}

var strassen = []string{
	"Bahnhofstraße", "Hauptstraße", "Goethestraße", "Schillerstraße", "Lindenweg", "Am Anger", "Gartenstraße",
	"Friedrich-Ebert-Straße", "Lessingstraße", "Rosenweg", "Mühlgasse", "Kirchplatz", "Erfurter Straße",
	"Weimarische Straße", "Jenaer Straße", "Am Steinbruch", "Lutherstraße", "Bergstraße", "Wiesenweg",
	"Am Schlossberg", "Schulstraße", "Thomas-Müntzer-Straße", "Karl-Liebknecht-Straße", "Ringstraße",
}

var erfurterStrassen = []string{
	"Magdeburger Allee", "Juri-Gagarin-Ring", "Löberstraße", "Arnstädter Straße", "Nordhäuser Straße",
	"Johannesstraße", "Krämpferstraße", "Gothaer Straße", "Stauffenbergallee", "Kranichfelder Straße",
	"Blumenstraße", "Marktstraße", "Michaelisstraße", "Leipziger Straße", "Am Roten Berg", "Häßlerstraße",
	"Eugen-Richter-Straße", "Schmidtstedter Straße", "Regierungsstraße", "Windthorststraße",
}

var erfurterGemarkungen = []string{
	"Erfurt-Nord", "Erfurt-Süd", "Gispersleben", "Hochheim", "Bischleben", "Daberstedt", "Melchendorf",
	"Ilversgehofen", "Marbach", "Möbisburg", "Stotternheim", "Tiefthal", "Vieselbach", "Kerspleben", "Frienstedt",
}

type firma struct{ Name, Ort, Domain string }

var firmen = []firma{
	{"Bauunternehmen Sauerbrey GmbH", "Gotha", "sauerbrey-bau.de"},
	{"Ingenieurbüro Wünsch & Partner mbB", "Erfurt", "ib-wuensch.de"},
	{"Hochbau Ilmtal GmbH & Co. KG", "Ilmenau", "hochbau-ilmtal.de"},
	{"Architekturbüro Döring", "Weimar", "doering-architekten.de"},
	{"Elektro Köhler e. K.", "Arnstadt", "elektro-koehler.de"},
	{"Saale-Holzbau GmbH", "Rudolstadt", "saale-holzbau.de"},
	{"Systemhaus Jena GmbH", "Jena", "systemhaus-jena.de"},
	{"Rennsteig Catering GmbH", "Suhl", "rennsteig-catering.de"},
	{"Wartburg Immobilien GmbH", "Eisenach", "wartburg-immobilien.de"},
	{"Café am Fischmarkt GmbH", "Erfurt", "cafe-fischmarkt.de"},
	{"Gaststätte „Zum Roten Ochsen“", "Erfurt", "roter-ochse-erfurt.de"},
	{"Sachverständigenbüro Ehrhardt", "Erfurt", "sv-ehrhardt.de"},
	{"Landschaftsbau Hainich GmbH", "Mühlhausen", "landschaftsbau-hainich.de"},
	{"Thüringer Dachdecker GmbH", "Gera", "th-dachdecker.de"},
	{"Kyffhäuser Metallbau GmbH", "Sondershausen", "kyffhaeuser-metallbau.de"},
	{"Eichsfelder Planungsgesellschaft mbH", "Heilbad Heiligenstadt", "eichsfeld-planung.de"},
	{"Blumen Vogel", "Erfurt", "blumen-vogel-erfurt.de"},
	{"Fahrradhaus an der Krämerbrücke", "Erfurt", "fahrradhaus-erfurt.de"},
	{"Eiscafé Venezia Erfurt", "Erfurt", "venezia-erfurt.de"},
	{"Domplatz Events GmbH", "Erfurt", "domplatz-events.de"},
	{"Bäckerei Gräfe", "Erfurt", "baeckerei-graefe.de"},
	{"Wohnungsbaugenossenschaft Erfurt-Nord eG", "Erfurt", "wbg-erfurt-nord.de"},
}

type schule struct{ Name, Ort string }

var schulen = []schule{
	{"Staatliche Grundschule „Am Roten Berg“ Erfurt", "Erfurt"},
	{"Staatliche Regelschule „Geschwister Scholl“ Gotha", "Gotha"},
	{"Goethegymnasium Ilmenau", "Ilmenau"},
	{"Staatliche Gemeinschaftsschule Jena-Lobeda", "Jena"},
	{"Albert-Schweitzer-Gymnasium Sömmerda", "Sömmerda"},
	{"Staatliches Berufsschulzentrum Arnstadt-Ilmenau", "Arnstadt"},
	{"Staatliche Grundschule Mühlhausen-Nord", "Mühlhausen"},
	{"Staatliche Regelschule Bad Salzungen", "Bad Salzungen"},
	{"Staatliches Gymnasium „Rutheneum seit 1608“ Gera", "Gera"},
	{"Staatliche Grundschule „Bergschule“ Apolda", "Apolda"},
	{"Herzog-Ernst-Gymnasium Gotha", "Gotha"},
	{"Staatliche Regelschule „Thomas Müntzer“ Nordhausen", "Nordhausen"},
	{"Staatliche Gemeinschaftsschule Saalfeld", "Saalfeld"},
	{"Staatliche Grundschule Sonneberg-West", "Sonneberg"},
	{"Staatliches Gymnasium Schmalkalden", "Schmalkalden"},
	{"Staatliche Regelschule Heilbad Heiligenstadt", "Heilbad Heiligenstadt"},
}

var kitaNamen = []string{
	"Kita „Sonnenschein“", "Kita „Pusteblume“", "Kita „Zwergenland“", "Kita „Regenbogen“",
	"Kita „Spatzennest“", "Kita „Löwenzahn“", "Wald-Kita „Eichhörnchen“", "Kita „Kleine Strolche“",
}

var finanzaemter = []string{
	"Erfurt", "Gotha", "Jena", "Gera", "Suhl", "Mühlhausen", "Sondershausen", "Ilmenau", "Pößneck", "Eisenach", "Altenburg",
}

var ressorts = [][2]string{
	{"Thüringer Ministerium für Inneres, Kommunales und Landesentwicklung", "TMIKL"},
	{"Thüringer Finanzministerium", "TFM"},
	{"Thüringer Ministerium für Bildung, Jugend und Sport", "TMBJS"},
	{"Thüringer Ministerium für Soziales, Gesundheit, Arbeit und Familie", "TMSGAF"},
	{"Thüringer Ministerium für Umwelt, Energie, Naturschutz und Forsten", "TMUENF"},
	{"Thüringer Ministerium für Justiz, Migration und Verbraucherschutz", "TMJMV"},
	{"Thüringer Ministerium für Digitales und Infrastruktur", "TMDI"},
	{"Thüringer Ministerium für Wirtschaft, Landwirtschaft und Ländlichen Raum", "TMWLLR"},
}

var fraktionen = []string{"Fraktion der CDU", "Fraktion der AfD", "Fraktion BSW", "Fraktion Die Linke", "Fraktion der SPD"}

// einzelplaene: number, title, ministry, its short name.
var einzelplaene = [][4]string{
	{"02", "Ministerpräsident und Staatskanzlei", "Thüringer Staatskanzlei", "TSK"},
	{"03", "Inneres und Kommunales", "Thüringer Ministerium für Inneres, Kommunales und Landesentwicklung", "TMIKL"},
	{"04", "Bildung, Jugend und Sport", "Thüringer Ministerium für Bildung, Jugend und Sport", "TMBJS"},
	{"05", "Justiz", "Thüringer Ministerium für Justiz, Migration und Verbraucherschutz", "TMJMV"},
	{"07", "Wirtschaft", "Thüringer Ministerium für Wirtschaft, Landwirtschaft und Ländlichen Raum", "TMWLLR"},
	{"08", "Soziales, Gesundheit, Arbeit und Familie", "Thüringer Ministerium für Soziales, Gesundheit, Arbeit und Familie", "TMSGAF"},
	{"09", "Umwelt, Energie und Naturschutz", "Thüringer Ministerium für Umwelt, Energie, Naturschutz und Forsten", "TMUENF"},
	{"10", "Digitales und Infrastruktur", "Thüringer Ministerium für Digitales und Infrastruktur", "TMDI"},
}

var stellen = []string{
	"Referentin/Referent Haushalt (E 13 TV-L)",
	"Sachbearbeitung Registratur (E 8 TV-L)",
	"Referatsleitung IT-Koordinierung (A 15 ThürBesO)",
	"Sachbearbeitung Zuwendungen (E 9b TV-L)",
	"Justiziarin/Justiziar (A 14 ThürBesO)",
	"Sekretariat der Abteilungsleitung (E 6 TV-L)",
	"IT-Administratorin/IT-Administrator (E 11 TV-L)",
	"Sachbearbeitung Personal (A 9 ThürBesO)",
	"Referentin/Referent Digitalisierung (E 13 TV-L)",
}

var faecher = []string{"Mathematik", "Deutsch", "Englisch", "Physik", "Chemie", "Biologie", "Informatik", "Französisch"}

var faecher2 = []string{"Geschichte", "Sport", "Musik", "Kunst", "Evangelische Religionslehre", "Geografie", "Wirtschaft und Recht", "Sozialkunde"}
