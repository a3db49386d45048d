package corpus

// Position is one position of the Aktenplan the background documents are
// filed under.
type Position struct {
	Kennzeichen string // e.g. "50.2.1"
	Titel       string // e.g. "Kindertagesbetreuung"
}

// position is a Position with the topic nouns its Akten, Vorgänge and texts
// are about.
type position struct {
	Position
	topics []string
}

// aktenplan holds the background positions. Their Kennzeichen have a second
// level of 1–5; the needles live under xx.9.y, so an az: prefix query for a
// needle position can never match a background Aktenzeichen (the join term
// of TFM-50.9… starts with tfm509, which no background Kennzeichen yields).
var aktenplan = []position{
	{Position{"10.1.1", "Organisationsangelegenheiten"}, []string{"Organisationsuntersuchung", "Geschäftsverteilungsplan", "Organigramm", "Aufgabenkritik", "Prozessbeschreibung"}},
	{Position{"10.1.2", "Geschäftsordnung und Geschäftsgang"}, []string{"Geschäftsordnung", "Zeichnungsbefugnis", "Dienstanweisung", "Aktenführung", "Vertretungsregelung"}},
	{Position{"10.1.3", "Informationstechnik"}, []string{"Fachverfahren", "Rechenzentrum", "Lizenzen", "Hardware", "Schnittstelle", "Informationssicherheit"}},
	{Position{"10.1.4", "Datenschutz"}, []string{"Verarbeitungsverzeichnis", "Auskunftsersuchen", "Datenschutzverletzung", "Löschfrist", "Einwilligung"}},
	{Position{"10.1.5", "Schriftgutverwaltung und Archiv"}, []string{"Aktenplan", "Aufbewahrungsfrist", "Aussonderung", "Archivierung", "Registratur"}},
	{Position{"10.2.1", "Personalangelegenheiten"}, []string{"Personalakte", "Teilzeitbeschäftigung", "Nebentätigkeit", "Beihilfe", "Elternzeit", "Ruhestand"}},
	{Position{"10.2.2", "Stellenbesetzung"}, []string{"Stellenausschreibung", "Auswahlverfahren", "Vorstellungsgespräch", "Einstellung", "Stellenbewertung"}},
	{Position{"10.2.3", "Aus- und Fortbildung"}, []string{"Fortbildung", "Lehrgang", "Qualifizierung", "Ausbildung", "Praktikum", "Seminar"}},
	{Position{"10.2.4", "Arbeitsschutz und Gesundheitsmanagement"}, []string{"Arbeitsschutz", "Gefährdungsbeurteilung", "Dienstunfall", "Wiedereingliederung", "Gesundheitsmanagement"}},
	{Position{"10.2.5", "Personalvertretung"}, []string{"Personalrat", "Mitbestimmung", "Dienstvereinbarung", "Personalversammlung"}},
	{Position{"10.3.1", "Rechtsangelegenheiten"}, []string{"Rechtsstreit", "Klageverfahren", "Rechtsgutachten", "Vergleich", "Schadensersatz"}},
	{Position{"10.3.2", "Widerspruchsverfahren"}, []string{"Widerspruch", "Widerspruchsbescheid", "Abhilfe", "Anhörung", "Kostenentscheidung"}},
	{Position{"10.3.3", "Vergabewesen"}, []string{"Vergabeverfahren", "Ausschreibung", "Zuschlag", "Leistungsverzeichnis", "Nachprüfungsantrag"}},
	{Position{"10.4.1", "Innerer Dienst und Liegenschaftsbetrieb"}, []string{"Dienstgebäude", "Hausmeisterdienst", "Reinigung", "Fuhrpark", "Schließanlage"}},
	{Position{"10.4.2", "Beschaffung"}, []string{"Beschaffung", "Büroausstattung", "Rahmenvertrag", "Lieferung", "Dienstfahrzeug"}},
	{Position{"20.1.1", "Haushaltsplanung"}, []string{"Haushaltsplan", "Haushaltsaufstellung", "Haushaltssatzung", "Finanzplanung", "Verpflichtungsermächtigung"}},
	{Position{"20.1.2", "Haushaltsvollzug"}, []string{"Haushaltsvollzug", "Mittelbindung", "Haushaltssperre", "Haushaltsrest", "Jahresabschluss"}},
	{Position{"20.2.1", "Steuern und Abgaben"}, []string{"Grundsteuer", "Gewerbesteuer", "Hundesteuer", "Zweitwohnungsteuer", "Steuerbescheid"}},
	{Position{"20.2.2", "Gebühren und Beiträge"}, []string{"Gebührenkalkulation", "Gebührenbescheid", "Erschließungsbeitrag", "Straßenausbaubeitrag", "Verwaltungsgebühr"}},
	{Position{"20.3.1", "Zuwendungen"}, []string{"Zuwendung", "Förderantrag", "Verwendungsnachweis", "Zuwendungsbescheid", "Rückforderung"}},
	{Position{"20.3.2", "Liegenschaften"}, []string{"Grundstücksverkauf", "Erbbaurecht", "Pachtvertrag", "Verkehrswert", "Grunderwerb"}},
	{Position{"20.4.1", "Beteiligungen"}, []string{"Beteiligungsbericht", "Gesellschafterversammlung", "Aufsichtsrat", "Wirtschaftsplan", "Eigenbetrieb"}},
	{Position{"20.4.2", "Kasse und Vollstreckung"}, []string{"Vollstreckung", "Stundung", "Niederschlagung", "Säumniszuschlag", "Pfändung"}},
	{Position{"30.1.1", "Gewerbeangelegenheiten"}, []string{"Gewerbeanmeldung", "Gaststättenerlaubnis", "Gewerbeuntersagung", "Reisegewerbe", "Spielhalle"}},
	{Position{"30.1.2", "Veranstaltungen und Märkte"}, []string{"Stadtfest", "Weihnachtsmarkt", "Sicherheitskonzept", "Sondernutzung", "Marktsatzung"}},
	{Position{"30.2.1", "Brandschutz"}, []string{"Feuerwehr", "Brandschau", "Feuerwehrhaus", "Einsatzfahrzeug", "Löschwasserversorgung"}},
	{Position{"30.2.2", "Katastrophenschutz"}, []string{"Katastrophenschutz", "Krisenstab", "Hochwasser", "Evakuierung", "Warnsystem"}},
	{Position{"30.3.1", "Straßenverkehr"}, []string{"Verkehrsführung", "Verkehrszeichen", "Parkraum", "Schulwegsicherung", "Geschwindigkeitsbegrenzung"}},
	{Position{"30.3.2", "Meldewesen und Personenstand"}, []string{"Meldebescheinigung", "Personalausweis", "Namensänderung", "Geburtsurkunde", "Eheschließung"}},
	{Position{"30.3.3", "Ausländerangelegenheiten"}, []string{"Aufenthaltserlaubnis", "Einbürgerung", "Aufenthaltstitel", "Integrationskurs", "Unterbringung"}},
	{Position{"30.4.1", "Ordnungswidrigkeiten"}, []string{"Bußgeldverfahren", "Bußgeldbescheid", "Verwarnung", "Anhörungsbogen", "Ordnungswidrigkeit"}},
	{Position{"40.1.1", "Schulverwaltung"}, []string{"Schulnetzplan", "Schulentwicklungsplanung", "Schulbezirk", "Schulleitung", "Schuljahr"}},
	{Position{"40.1.2", "Schulbau"}, []string{"Schulgebäude", "Turnhalle", "Schulsanierung", "Erweiterungsbau", "Raumprogramm"}},
	{Position{"40.1.3", "Schülerbeförderung"}, []string{"Schülerbeförderung", "Schulweg", "Fahrkarte", "Schülerverkehr", "Kostenerstattung"}},
	{Position{"40.2.1", "Kulturförderung"}, []string{"Kulturförderung", "Projektförderung", "Ausstellung", "Musikschule", "Theater"}},
	{Position{"40.2.2", "Museen und Sammlungen"}, []string{"Museum", "Sammlung", "Leihvertrag", "Inventarisierung", "Ausstellung"}},
	{Position{"40.2.3", "Bibliotheken"}, []string{"Bibliothek", "Medienbestand", "Bibliotheksausweis", "Lesungen", "Fernleihe"}},
	{Position{"40.3.1", "Sportförderung"}, []string{"Sportverein", "Sportstätte", "Sporthalle", "Sportplatz", "Vereinsförderung"}},
	{Position{"50.1.1", "Sozialhilfe"}, []string{"Grundsicherung", "Leistungsgewährung", "Regelbedarf", "Mehrbedarf", "Kostenübernahme"}},
	{Position{"50.1.2", "Wohngeld"}, []string{"Wohngeld", "Wohngeldantrag", "Mietzuschuss", "Lastenzuschuss", "Einkommensnachweis"}},
	{Position{"50.1.3", "Eingliederungshilfe"}, []string{"Eingliederungshilfe", "Teilhabe", "Gesamtplan", "Teilhabeleistung", "Assistenzleistung"}},
	{Position{"50.2.1", "Kindertagesbetreuung"}, []string{"Kindertagesstätte", "Kindertagespflege", "Betreuungsplatz", "Elternbeitrag", "Betriebserlaubnis", "Personalschlüssel"}},
	{Position{"50.2.2", "Hilfen zur Erziehung"}, []string{"Hilfeplan", "Erziehungshilfe", "Inobhutnahme", "Pflegefamilie", "Kinderschutz"}},
	{Position{"50.2.3", "Jugendarbeit und Jugendförderung"}, []string{"Jugendclub", "Jugendzentrum", "Schulsozialarbeit", "Jugendhilfeplanung", "Ferienfreizeit"}},
	{Position{"50.3.1", "Gesundheitsschutz"}, []string{"Trinkwasser", "Hygiene", "Einschulungsuntersuchung", "Amtsarzt", "Gesundheitsbericht"}},
	{Position{"50.3.2", "Infektionsschutz"}, []string{"Infektionsschutz", "Hygienekonzept", "Impfung", "Meldepflicht", "Ausbruchsgeschehen"}},
	{Position{"50.4.1", "Seniorenangelegenheiten und Pflege"}, []string{"Pflegestützpunkt", "Seniorenbeirat", "Pflegeheim", "Pflegegrad", "Seniorenarbeit"}},
	{Position{"60.1.1", "Bauleitplanung"}, []string{"Bebauungsplan", "Flächennutzungsplan", "Aufstellungsbeschluss", "Öffentlichkeitsbeteiligung", "Abwägung"}},
	{Position{"60.1.2", "Baugenehmigungen"}, []string{"Bauantrag", "Baugenehmigung", "Bauvoranfrage", "Nutzungsänderung", "Abstandsfläche"}},
	{Position{"60.1.3", "Bauaufsicht"}, []string{"Bauaufsicht", "Baukontrolle", "Baueinstellung", "Standsicherheit", "Baulast"}},
	{Position{"60.2.1", "Straßenbau"}, []string{"Straßenausbau", "Straßensanierung", "Fahrbahndecke", "Gehweg", "Radweg", "Straßenentwässerung"}},
	{Position{"60.2.2", "Brückenbau"}, []string{"Brückenprüfung", "Ersatzneubau", "Brücke", "Traglast", "Bauwerksprüfung"}},
	{Position{"60.2.3", "Straßenreinigung und Winterdienst"}, []string{"Straßenreinigung", "Winterdienst", "Streusalz", "Reinigungsklasse", "Gebührensatzung"}},
	{Position{"60.3.1", "Wohnungsbauförderung"}, []string{"Wohnungsbauförderung", "Belegungsbindung", "Modernisierung", "Sozialwohnung", "Mietpreisbindung"}},
	{Position{"60.4.1", "Denkmalschutz"}, []string{"Kulturdenkmal", "Denkmalliste", "Denkmalpflege", "Fassadensanierung", "Bauforschung"}},
	{Position{"60.5.1", "Öffentlicher Personennahverkehr"}, []string{"Nahverkehrsplan", "Linienverkehr", "Bushaltestelle", "Fahrplan", "Verkehrsvertrag"}},
	{Position{"70.1.1", "Abfallwirtschaft"}, []string{"Abfallentsorgung", "Wertstoffhof", "Sperrmüll", "Abfallgebühr", "Ablagerung"}},
	{Position{"70.1.2", "Abwasserbeseitigung"}, []string{"Abwasser", "Kläranlage", "Kanalsanierung", "Kleinkläranlage", "Grundstücksentwässerung"}},
	{Position{"70.2.1", "Naturschutz und Landschaftspflege"}, []string{"Schutzgebiet", "Eingriffsregelung", "Ausgleichsmaßnahme", "Biotop", "Baumschutz"}},
	{Position{"70.2.2", "Immissionsschutz"}, []string{"Lärmschutz", "Anlagengenehmigung", "Geruchsbelästigung", "Messbericht", "Luftreinhaltung"}},
	{Position{"70.2.3", "Gewässerschutz"}, []string{"Gewässerunterhaltung", "Hochwasserschutz", "Wasserschutzgebiet", "Überschwemmungsgebiet", "Gewässerrandstreifen"}},
	{Position{"70.3.1", "Klimaschutz und Energie"}, []string{"Klimaschutzkonzept", "Wärmeplanung", "Energieeinsparung", "Ladeinfrastruktur", "Klimaanpassung"}},
	{Position{"70.3.2", "Forstwirtschaft"}, []string{"Waldumbau", "Schadholz", "Aufforstung", "Borkenkäfer", "Waldbrandgefahr"}},
	{Position{"80.1.1", "Wirtschaftsförderung"}, []string{"Existenzgründung", "Ansiedlung", "Gewerbegebiet", "Investitionsförderung", "Standortmarketing"}},
	{Position{"80.1.2", "Tourismus"}, []string{"Tourismuskonzept", "Übernachtungen", "Wanderweg", "Gästeinformation", "Radwanderweg"}},
	{Position{"80.2.1", "Landwirtschaft"}, []string{"Agrarförderung", "Flächenprämie", "Tierhaltung", "Flurneuordnung", "Wildschaden"}},
	{Position{"80.2.2", "Breitbandausbau"}, []string{"Glasfaserausbau", "Markterkundung", "Wirtschaftlichkeitslücke", "Ausbaugebiet", "Hausanschluss"}},
	{Position{"80.3.1", "Arbeitsmarkt und Fachkräftesicherung"}, []string{"Fachkräftesicherung", "Arbeitsmarktprogramm", "Beschäftigungsförderung", "Berufsorientierung", "Langzeitarbeitslosigkeit"}},
}

// Aktenplan returns the positions of the background documents (the needles
// use their own positions, see Needles).
func Aktenplan() []Position {
	out := make([]Position, len(aktenplan))
	for i, p := range aktenplan {
		out[i] = p.Position
	}
	return out
}

// docTypes are the document types, most frequent first.
var docTypes = []string{"Eingang", "Ausgang", "Vermerk", "E-Mail", "Scan", "Antrag", "Bescheid", "Verfügung", "Protokoll", "Sonstiges"}

// typeWeights are the relative frequencies of docTypes.
var typeWeights = []float64{22, 16, 15, 14, 8, 7, 6, 5, 3, 4}

// Types returns the document types the generator uses.
func Types() []string { return append([]string(nil), docTypes...) }

var surnames = []string{
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
	"Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
	"Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
	"Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
	"Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert",
	"Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz",
	"Baumann", "Franke", "Albrecht", "Schuster", "Simon", "Ludwig", "Böhm", "Winter", "Kraus", "Martin",
	"Schumacher", "Krämer", "Vogt", "Stein", "Jäger", "Otto", "Sommer", "Groß", "Seidel", "Heinrich",
	"Brandt", "Haas", "Schreiber", "Graf", "Schulte", "Dietrich", "Ziegler", "Kuhn", "Kühn", "Pohl",
	"Engel", "Horn", "Busch", "Bergmann", "Thomas", "Voigt", "Sauer", "Arnold", "Wolff", "Pfeiffer",
	"Ritter", "Heinze", "Ullrich", "Schenk", "Gerlach", "Böttcher", "Thiele", "Reinhardt", "Döring", "Ebert",
	"Wiegand", "Hempel", "Rothe", "Kästner", "Fiedler", "Seifert", "Ulbrich", "Heß", "Günzel", "Büttner",
	"Eckardt", "Stöckel", "Trautmann", "Dressel", "Gräfe", "Hüttner", "Sträßner", "Jahn", "Reuß", "Ortlepp",
}

var firstNames = []string{
	"Jürgen", "Andreas", "Thomas", "Michael", "Peter", "Frank", "Uwe", "Klaus", "Stefan", "Matthias",
	"Jörg", "Torsten", "Ralf", "Dirk", "Steffen", "Sven", "Martin", "Christian", "Tobias", "Daniel",
	"Florian", "Sebastian", "Jan", "Felix", "Lukas", "Jonas", "Maximilian", "Paul", "Hans", "Günter",
	"Manfred", "Wolfgang", "Dieter", "Gerd", "Bernd", "Rainer", "Lutz", "Heiko", "Holger", "André",
	"Sabine", "Petra", "Monika", "Andrea", "Kerstin", "Susanne", "Claudia", "Birgit", "Katrin", "Anja",
	"Heike", "Silke", "Ines", "Sandra", "Nicole", "Stefanie", "Julia", "Anna", "Laura", "Lena",
	"Sarah", "Katharina", "Christine", "Ute", "Ramona", "Doreen", "Manuela", "Simone", "Cornelia", "Martina",
	"Jana", "Franziska", "Elisabeth", "Renate", "Ursula", "Gisela", "Annett", "Yvonne", "Jessica", "Marie",
	"Jörn", "Björn", "Sören", "Käthe", "Jürgen-Peter", "Hans-Joachim", "Karl-Heinz", "Anne-Kathrin", "Özlem", "Zoë",
}

type place struct{ name, plz, kreis string }

var places = []place{
	{"Erfurt", "99084", "Erfurt"}, {"Jena", "07743", "Jena"}, {"Gera", "07545", "Gera"},
	{"Weimar", "99423", "Weimar"}, {"Gotha", "99867", "Gotha"}, {"Eisenach", "99817", "Wartburgkreis"},
	{"Nordhausen", "99734", "Nordhausen"}, {"Suhl", "98527", "Suhl"}, {"Mühlhausen", "99974", "Unstrut-Hainich-Kreis"},
	{"Altenburg", "04600", "Altenburger Land"}, {"Ilmenau", "98693", "Ilm-Kreis"}, {"Sonneberg", "96515", "Sonneberg"},
	{"Saalfeld", "07318", "Saalfeld-Rudolstadt"}, {"Rudolstadt", "07407", "Saalfeld-Rudolstadt"}, {"Apolda", "99510", "Weimarer Land"},
	{"Sömmerda", "99610", "Sömmerda"}, {"Greiz", "07973", "Greiz"}, {"Meiningen", "98617", "Schmalkalden-Meiningen"},
	{"Bad Langensalza", "99947", "Unstrut-Hainich-Kreis"}, {"Heilbad Heiligenstadt", "37308", "Eichsfeld"},
	{"Schmalkalden", "98574", "Schmalkalden-Meiningen"}, {"Sondershausen", "99706", "Kyffhäuserkreis"},
	{"Pößneck", "07381", "Saale-Orla-Kreis"}, {"Hildburghausen", "98646", "Hildburghausen"}, {"Bad Salzungen", "36433", "Wartburgkreis"},
	{"Schleiz", "07907", "Saale-Orla-Kreis"}, {"Eisenberg", "07607", "Saale-Holzland-Kreis"}, {"Zeulenroda-Triebes", "07937", "Greiz"},
	{"Leinefelde-Worbis", "37327", "Eichsfeld"}, {"Bad Frankenhausen", "06567", "Kyffhäuserkreis"}, {"Stadtroda", "07646", "Saale-Holzland-Kreis"},
	{"Ohrdruf", "99885", "Gotha"}, {"Kölleda", "99625", "Sömmerda"}, {"Blankenhain", "99444", "Weimarer Land"},
}

var streets = []string{
	"Goethestraße", "Schillerstraße", "Bahnhofstraße", "Hauptstraße", "Lindenstraße", "Kirchstraße", "Schulstraße",
	"Gartenstraße", "Bergstraße", "Mühlenweg", "Am Markt", "Marktplatz", "Anger", "Juri-Gagarin-Ring",
	"Friedrich-Ebert-Straße", "Karl-Marx-Allee", "Puschkinstraße", "Steigerstraße", "Löberstraße",
	"Rosa-Luxemburg-Straße", "Dorfstraße", "Feldstraße", "Waldstraße", "Am Sportplatz", "Leipziger Straße",
	"Erfurter Straße", "Weimarische Straße", "Blumenstraße", "Wiesenweg", "Talstraße", "Poststraße",
	"Rathausplatz", "Johannesstraße", "Regierungsstraße", "Straße des Friedens", "Lutherplatz", "Schloßberg",
	"Am Weißen Stein", "Grüner Weg", "Teichstraße", "Brühl", "Domplatz", "Wilhelm-Külz-Straße", "Fröbelstraße",
	"Salinenstraße", "Eisenacher Straße", "Jenaer Straße", "Geraer Straße", "Saalbahnhofstraße", "Wartburgallee",
}

var aemter = []string{
	"Jugendamt", "Bauamt", "Ordnungsamt", "Sozialamt", "Umweltamt", "Tiefbau- und Verkehrsamt", "Stadtplanungsamt",
	"Kämmerei", "Hauptamt", "Personalamt", "Schulverwaltungsamt", "Amt für Brandschutz", "Gesundheitsamt",
	"Bürgeramt", "Liegenschaftsamt", "Kulturamt", "Amt für Wirtschaftsförderung", "Rechtsamt", "Steueramt",
}

var ministries = []string{
	"Thüringer Ministerium für Bildung, Jugend und Sport", "Thüringer Finanzministerium",
	"Thüringer Ministerium für Infrastruktur und Landwirtschaft", "Thüringer Ministerium für Umwelt, Energie und Naturschutz",
	"Thüringer Ministerium für Soziales, Gesundheit, Arbeit und Familie", "Thüringer Innenministerium",
	"Thüringer Landesverwaltungsamt", "Thüringer Rechnungshof", "Landesamt für Bau und Verkehr", "Thüringer Staatskanzlei",
}

var companySuffixes = []string{"GmbH", "GmbH & Co. KG", "AG", "e. K.", "eG", "GbR"}

var companyKinds = []string{
	"Bau", "Tiefbau", "Ingenieurbüro", "Planungsbüro", "Elektro", "Haustechnik", "Garten- und Landschaftsbau",
	"Dachdeckerei", "Malerbetrieb", "Gebäudereinigung", "Softwarehaus", "Büroeinrichtung", "Entsorgung",
	"Verkehrsbetriebe", "Wohnungsgesellschaft", "Sanitär", "Metallbau", "Steuerberatung", "Immobilien",
}

var associations = []string{
	"Landessportbund Thüringen e. V.", "Thüringischer Landkreistag", "Gemeinde- und Städtebund Thüringen",
	"Paritätischer Wohlfahrtsverband Thüringen", "Arbeiterwohlfahrt Landesverband Thüringen e. V.",
	"Caritasverband für das Bistum Erfurt e. V.", "Diakonie Mitteldeutschland", "Deutsches Rotes Kreuz, Kreisverband",
	"Landesfeuerwehrverband Thüringen e. V.", "NABU Thüringen", "BUND Thüringen", "Industrie- und Handelskammer Erfurt",
	"Handwerkskammer Südthüringen", "Landesjugendring Thüringen e. V.", "Verbraucherzentrale Thüringen e. V.",
}

var laws = []string{
	"VwVfG", "ThürVwVfG", "BauGB", "ThürBO", "SGB VIII", "SGB XII", "SGB II", "BGB", "ThürLHO", "ThürKO",
	"BImSchG", "KrWG", "WHG", "TVöD", "ThürBG", "BeamtStG", "IfSG", "StVO", "GewO", "ThürDSG", "DSGVO",
	"VwGO", "ThürVwZVG", "ThürKAG", "GWB", "VgV", "UVgO", "ThürStrG", "FStrG", "ThürDSchG",
}

// sentence connectors for subordinate clauses
var subordinators = []string{"da", "weil", "sofern", "soweit", "nachdem", "sodass", "wenn", "obwohl", "bevor", "dass"}

var prepsDative = []string{"mit", "nach", "bei", "von", "aus", "seit", "zu", "gegenüber"}
