package corpus

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"aktenwerk/internal/search"
)

// Needles are hand-written documents planted into the background for the
// relevance set (testdata/relevanz.json). They use words the background
// never contains (needleWords), so a query built on those words finds
// exactly the needles listed in the set, however large the background is.
//
// The needles live under their own Aktenplan positions (second level 9:
// 10.9.1, 40.9.1, 50.9.1, 60.9.1, 60.9.2, 70.9.1, 70.9.2, 80.9.1), which the
// background never uses, so az: prefix queries on them are needle-only too.
// Akte titles and Vorgang Betreffe contain none of the words the relevance
// queries ask for: whether a store indexes a Dokument with or without the
// titles of its Vorgang and Akte, the hit sets stay the same.

// needleWords are the needle-specific words: the background vocabulary,
// names, places and the Aktenplan share no analysed term with them.
var needleWords = []string{
	"Fachkräfteinitiative", "Waldkita", "Kitaplatz", "Kitagesetz", "Sonnenschein",
	"Biber", "Biberdamm", "Biberschäden", "Biberverordnung", "Wolfsriss", "Herdenschutz", "Rissgutachter",
	"Zauneidechse", "Ersatzhabitat", "Glockenturm", "Glockenstuhl", "Wachsenburgstraße",
	"Renaturierung", "Renaturierungsvorhaben", "Sabbatjahr", "Mobilfunkmast", "Sendemast",
	"Photovoltaik", "Photovoltaikanlage", "Kühnemund", "Möhring", "Großjohann", "Jäschke", "Rödiger",
	"Xylophonwerkstatt", "TLVwA-210.4-2025/0815", "4.711,23",
}

// needlePrefixes are prefixes no background term may start with (the
// relevance set has prefix queries on them; a prefix query is the stem of
// what was typed, e.g. Photovoltaik* → photovolta*).
var needlePrefixes = []string{"kita", "photovolta", "glock", "zauneidech", "renaturier"}

// needleAmounts are amounts (as written) that the background never uses.
var needleAmounts = map[string]bool{"4.711,23": true}

type termSet struct {
	terms    map[string]bool
	prefixes []string
}

var (
	needleTermsOnce sync.Once
	needleTerms     termSet
)

// needleTermSet returns the terms a query for each of needleWords searches
// (what search.Parse makes of the word: its primary term, or the join term
// of a connected token such as an Aktenzeichen) and needlePrefixes.
func needleTermSet() termSet {
	needleTermsOnce.Do(func() {
		needleTerms.terms = map[string]bool{}
		for _, w := range needleWords {
			n, err := search.Parse(w)
			if err != nil {
				panic("corpus: needle word " + w + ": " + err.Error())
			}
			t, ok := n.(*search.Term)
			if !ok {
				panic("corpus: needle word " + w + " is not one term: " + n.String())
			}
			needleTerms.terms[t.Term] = true
		}
		needleTerms.prefixes = needlePrefixes
	})
	return needleTerms
}

// NeedleTerms returns the analysed needle-specific terms and prefixes that
// the background never contains (for tests of stores built on the corpus).
func NeedleTerms() (terms, prefixes []string) {
	ts := needleTermSet()
	for t := range ts.terms {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	return terms, slices.Clone(ts.prefixes)
}

type nAkte struct {
	kennzeichen, planTitel, ref, az, titel string
}

type nVorgang struct {
	akte    *nAkte
	ref     string
	n       int
	betreff string
}

func (v *nVorgang) doc(ref, typ, datum, absender, betreff, text string) Doc {
	d, err := time.Parse(time.DateOnly, datum)
	if err != nil {
		panic(err)
	}
	return Doc{
		Ref:                  ref,
		AktenplanKennzeichen: v.akte.kennzeichen,
		AktenplanTitel:       v.akte.planTitel,
		AkteRef:              v.akte.ref,
		AkteTitel:            v.akte.titel,
		AkteAktenzeichen:     v.akte.az,
		VorgangRef:           v.ref,
		VorgangBetreff:       v.betreff,
		VorgangAktenzeichen:  v.akte.az + "-" + strconv.Itoa(v.n),
		Betreff:              betreff,
		Typ:                  typ,
		Absender:             absender,
		Datum:                d,
		Text:                 strings.TrimSpace(text),
	}
}

// Needles returns the planted documents N01…N40 in Akte → Vorgang →
// Dokument order (documents of one Vorgang are consecutive). Their refs
// are stable; Akten are "NA01"…, Vorgänge "NV01"….
func Needles() []Doc {
	kita := &nAkte{"50.9.1", "Modellvorhaben Kindertagesbetreuung", "NA01", "TFM-50.9.1-2025/0003", "Landesprogramm Fachkräftegewinnung in der Kindertagesbetreuung"}
	kitaWald := &nAkte{"50.9.1", "Modellvorhaben Kindertagesbetreuung", "NA02", "TFM-50.9.1-2024/0011", "Modellprojekt Naturpädagogik im ländlichen Raum"}
	arten := &nAkte{"70.9.1", "Artenschutz und Wildtiermanagement", "NA03", "TFM-70.9.1-2024/0012", "Ausgleich von Schäden durch streng geschützte Arten"}
	kirche := &nAkte{"60.9.1", "Förderung kirchlicher Baudenkmale", "NA04", "TFM-60.9.1-2023/0007", "Sanierung kirchlicher Baudenkmale im Ilm-Kreis"}
	bplan := &nAkte{"60.9.2", "Vorhabenbezogene Bebauungspläne", "NA05", "TFM-60.9.2-2025/0021", "Vorhabenbezogener Bebauungsplan Nr. 47 Am Steinbruch"}
	gera := &nAkte{"70.9.2", "Gewässerentwicklung", "NA06", "TFM-70.9.2-2024/0030", "Gewässerentwicklung an der Gera"}
	personal := &nAkte{"10.9.1", "Sonderurlaub und Freistellung", "NA07", "TFM-10.9.1-2026/0002", "Freistellungen und Sonderurlaub 2026"}
	funk := &nAkte{"80.9.1", "Mobilfunk und digitale Infrastruktur", "NA08", "TFM-80.9.1-2025/0005", "Mobilfunkversorgung im ländlichen Raum"}
	schule := &nAkte{"40.9.1", "Energetische Schulsanierung", "NA09", "TFM-40.9.1-2025/0009", "Energetische Sanierung der Regelschule Am Anger"}

	v1 := &nVorgang{kita, "NV01", 1, "Zuwendungen aus dem Landesprogramm im Haushaltsjahr 2026"}
	v2 := &nVorgang{kita, "NV02", 2, "Novellierung des Landesgesetzes über die Kindertagesbetreuung"}
	v3 := &nVorgang{kitaWald, "NV03", 1, "Betriebserlaubnis und Anschubfinanzierung"}
	v4 := &nVorgang{arten, "NV04", 1, "Agrargenossenschaft Großengottern eG – Schäden am Mühlgraben"}
	v5 := &nVorgang{arten, "NV05", 2, "Schafhaltung am Ettersberg"}
	v6 := &nVorgang{kirche, "NV06", 1, "Ev. Kirchengemeinde Holzhausen, Kirche St. Marien"}
	v7 := &nVorgang{bplan, "NV07", 1, "Artenschutzrechtliche Prüfung"}
	v8 := &nVorgang{gera, "NV08", 1, "Auenprojekt südlich von Erfurt"}
	v9 := &nVorgang{personal, "NV09", 1, "Teilzeitbeschäftigung im Blockmodell"}
	v10 := &nVorgang{funk, "NV10", 1, "Standortsuche in der Gemarkung Oberilm"}
	v11 := &nVorgang{schule, "NV11", 1, "Dachsanierung und Energieversorgung"}

	return []Doc{
		// Kita: Fachkräfteinitiative, phrases, compounds (Ausbildungsplätze,
		// Kitaleitung, Kitaplätze, Waldkita), Kita-Gesetz / Kitagesetz.
		v1.doc("N01", "Antrag", "2025-11-14", "Kita Sonnenschein gGmbH, Geschäftsführung",
			"Antrag auf Förderung zusätzlicher Ausbildungsplätze", `
Sehr geehrte Damen und Herren,

hiermit beantragen wir für unsere Kita Sonnenschein in Apolda eine Förderung aus der Fachkräfteinitiative Kita des Landes.
Wir wollen zum 01.08.2026 drei zusätzliche Ausbildungsplätze schaffen. Die praxisintegrierte Ausbildung dauert drei Jahre;
die Kitaleitung übernimmt die Praxisanleitung gemeinsam mit zwei erfahrenen Erzieherinnen.

Unsere Einrichtung betreut derzeit 142 Kinder in sieben Gruppen. Die Gesamtkosten für drei Jahre betragen 96.480,00 EUR,
der Eigenanteil des Trägers 9.648,00 EUR. Den Finanzierungsplan und die Satzung des Trägers fügen wir bei.

Mit freundlichen Grüßen
Annett Krause
Geschäftsführerin`),
		v1.doc("N02", "Bescheid", "2026-02-12", "Thüringer Ministerium für Bildung, Jugend und Sport, Referat 32",
			"Zuwendungsbescheid Fachkräfteinitiative Kita", `
Bezug: Ihr Antrag vom 14.11.2025

Sehr geehrte Frau Krause,

auf Ihren Antrag bewilligen wir Ihnen im Rahmen der Fachkräfteinitiative Kita für den Bewilligungszeitraum vom 01.08.2026
bis zum 31.07.2029 eine Zuwendung als Anteilfinanzierung in Höhe von 86.832,00 EUR.

Die Zuwendung ist zweckgebunden. Sie dient ausschließlich der Finanzierung von drei zusätzlichen Ausbildungsplätzen in der
praxisintegrierten Erzieherausbildung. Die Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung sind
Bestandteil dieses Bescheides. Der Verwendungsnachweis ist bis zum 31.12.2029 vorzulegen.

Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.`),
		v1.doc("N03", "Vermerk", "2026-01-20", "Referat 32",
			"Prüfung des Förderantrags", `
Vermerk

1. Der Antrag der Kita Sonnenschein gGmbH auf Mittel aus der Fachkräfteinitiative ist vollständig eingegangen.
2. Die Förderfähigkeit ist gegeben; der Träger ist als freier Träger der Jugendhilfe anerkannt.
3. Haushaltsmittel stehen im Haushaltsjahr 2026 zur Verfügung.
4. Bescheid fertigen.

Wv. 01.02.2026`),
		v1.doc("N04", "Eingang", "2026-01-27", "Thüringer Landesverwaltungsamt, Referat 210",
			"Prüfmitteilung zur Verwendung von Landesmitteln", `
Unser Zeichen: TLVwA-210.4-2025/0815

Sehr geehrte Damen und Herren,

im Rahmen der Prüfung der Verwendungsnachweise des Jahres 2024 haben wir stichprobenartig Zuwendungen aus der
Fachkräfteinitiative geprüft. Beanstandungen haben sich nicht ergeben. Wir bitten, die Prüfmitteilung zu den Akten zu nehmen.

Im Auftrag
Schubert`),
		v1.doc("N05", "Ausgang", "2026-02-05", "Referat 32",
			"Antwort auf die Prüfmitteilung", `
Ihr Zeichen: TLVwA-210.4-2025/0815

Sehr geehrte Damen und Herren,

wir danken für die Prüfmitteilung und haben sie zur Kenntnis genommen. Weitere Veranlassung ist aus unserer Sicht nicht erforderlich.

Mit freundlichen Grüßen
Im Auftrag
Hempel`),
		v1.doc("N06", "Verfügung", "2026-02-16", "Referat 32",
			"Auszahlungsanordnung erste Rate", `
Verfügung

1. Die erste Rate in Höhe von 28.944,00 EUR ist zur Zahlung anzuweisen.
2. Haushaltsstelle 0512.68401.
3. Wv. mit Eingang des ersten Zwischennachweises.`),
		v2.doc("N07", "Protokoll", "2026-03-05", "Referat 32",
			"Protokoll der Anhörung zum Kita-Gesetz", `
Protokoll der Anhörung vom 04.03.2026

Teilnehmende: Vertreter der freien Träger, des Gemeinde- und Städtebundes und der Landeselternvertretung.

TOP 1: Die Träger begrüßen die Fachkräfteinitiative grundsätzlich, halten die Mittel aber für zu gering.
TOP 2: Der Gemeinde- und Städtebund fordert, dass das Land die zusätzlichen Kitaplätze im ländlichen Raum vollständig
finanziert. Viele Kitas auf dem Land könnten ihre Gruppen sonst nicht halten.
TOP 3: Die Landeselternvertretung spricht sich gegen höhere Elternbeiträge aus.`),
		v2.doc("N08", "E-Mail", "2026-03-09", "Möhring, Grit",
			"WG: Stellungnahme zum Entwurf des Kitagesetzes", `
Von: grit.moehring@waldkinder-hainich.de
Gesendet: 09.03.2026
Betreff: Stellungnahme zum Entwurf

Sehr geehrte Damen und Herren,

als Leiterin einer Waldkita am Rand des Nationalparks Hainich bitte ich darum, naturpädagogische Einrichtungen im Gesetz
ausdrücklich zu berücksichtigen. Unsere Kinder verbringen den ganzen Tag im Freien; die Vorgaben für Räume passen für uns nicht.

Viele Grüße
Grit Möhring`),
		v2.doc("N09", "Eingang", "2026-03-12", "Landeselternvertretung Thüringen",
			"Stellungnahme der Landeselternvertretung", `
Sehr geehrte Damen und Herren,

die Landeselternvertretung nimmt zum Entwurf des KITA-GESETZES wie folgt Stellung: Die Elternbeiträge müssen landesweit
gedeckelt werden. Ein beitragsfreies letztes Jahr vor der Einschulung reicht nicht aus.

Mit freundlichen Grüßen
Der Vorstand`),
		v3.doc("N10", "Antrag", "2024-04-03", "Waldkinder Hainich e. V.",
			"Antrag auf Erteilung einer Betriebserlaubnis", `
Sehr geehrte Damen und Herren,

der Verein Waldkinder Hainich e. V. beantragt die Erteilung einer Betriebserlaubnis nach § 45 SGB VIII für eine Waldkita
mit 20 Plätzen in Behringen. Als Schutzraum dient ein beheizbarer Bauwagen am Waldrand. Das pädagogische Konzept,
die Stellenbesetzung und der Mietvertrag für den Bauwagenplatz liegen bei.

Mit freundlichen Grüßen
Grit Möhring
Vorsitzende`),
		v3.doc("N11", "Bescheid", "2024-06-28", "Referat 33",
			"Betriebserlaubnis nach § 45 SGB VIII", `
Sehr geehrte Frau Möhring,

für die Waldkita des Vereins Waldkinder Hainich e. V. in Behringen wird die Betriebserlaubnis für 20 Plätze für Kinder ab drei Jahren
bis zum Schuleintritt erteilt. Die Betriebserlaubnis ergeht mit folgenden Auflagen: Der Bauwagen ist jährlich
durch einen Sachverständigen zu prüfen. Für die Waldkita ist ein Notfallplan für Unwetter vorzuhalten.

Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.`),

		// Artenschutz: Biber, Wolfsriss, Entschädigung(en), amounts.
		v4.doc("N12", "Antrag", "2025-04-02", "Agrargenossenschaft Großengottern eG",
			"Antrag auf Entschädigung für Biberschäden", `
Sehr geehrte Damen und Herren,

durch einen Biberdamm am Mühlgraben sind seit Februar rund 3,5 Hektar Winterweizen überflutet. Der Biber hat zudem
mehrere Obstbäume am Grabenrand gefällt. Wir beantragen eine Entschädigung für den Ernteausfall in Höhe von 4.711,23 EUR.
Eine Aufstellung der Schäden und Fotos vom 28.03.2025 fügen wir bei.

Mit freundlichen Grüßen
Vorstand der Agrargenossenschaft`),
		v4.doc("N13", "Vermerk", "2025-05-10", "Referat 52",
			"Ortstermin am Mühlgraben", `
Vermerk über den Ortstermin am 08.05.2025

1. Am Mühlgraben wurde ein etwa 1,20 m hoher Damm festgestellt; der Biber ist aktiv, frische Fraßspuren sind vorhanden.
2. Der Biberdamm staut das Wasser auf die angrenzenden Ackerflächen zurück.
3. Eine Entnahme des Bibers kommt nicht in Betracht. Vorgeschlagen wird eine Drainage durch den Damm, damit der Biber
   bleiben kann und die Flächen trocken fallen.

z.d.A.`),
		v4.doc("N14", "Bescheid", "2025-06-18", "Landesamt für Umwelt, Bergbau und Naturschutz",
			"Bescheid über Entschädigungen nach der Biberverordnung", `
Sehr geehrte Damen und Herren,

auf Ihren Antrag vom 02.04.2025 wird Ihnen für die Schäden durch den Biber am Mühlgraben eine Entschädigung in Höhe
von 4.711,23 EUR gewährt. Entschädigungen werden nur für Schäden gewährt, die trotz zumutbarer Vorsorge entstanden sind.

Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.`),
		v4.doc("N15", "Ausgang", "2025-06-20", "Referat 52",
			"Übersendung des Bescheides", `
Sehr geehrte Damen und Herren,

anbei erhalten Sie den Bescheid des Landesamtes vom 18.06.2025. Der Betrag von 4.711,23 EUR wird in den nächsten Tagen
auf das von Ihnen angegebene Konto überwiesen.

Mit freundlichen Grüßen
Im Auftrag
Fiedler`),
		v5.doc("N16", "Antrag", "2026-02-03", "Kühnemund, Bärbel",
			"Antrag auf Ausgleich nach Wolfsriss", `
Sehr geehrte Damen und Herren,

in der Nacht zum 28.01.2026 wurden auf meiner Weide am Ettersberg drei Mutterschafe gerissen. Der Rissgutachter war am
folgenden Morgen vor Ort. Ich beantrage eine Entschädigung für die getöteten Tiere. Den empfohlenen Herdenschutz mit
Elektronetz hatte ich aufgebaut.

Mit freundlichen Grüßen
Bärbel Kühnemund`),
		v5.doc("N17", "Vermerk", "2026-02-10", "Referat 52",
			"Begutachtung durch den Rissgutachter", `
Vermerk

1. Nach dem Gutachten vom 28.01.2026 ist ein Wolfsriss wahrscheinlich; eine genetische Probe wurde genommen.
2. Frau Kuehnemund hatte einen Herdenschutz nach den Vorgaben der Förderrichtlinie eingerichtet.
3. Ein zweiter Wolfsriss in der Gemarkung ist aus dem Vorjahr bekannt.

Wv. nach Eingang des Probenergebnisses`),
		v5.doc("N18", "Bescheid", "2026-04-22", "Landesamt für Umwelt, Bergbau und Naturschutz",
			"Entschädigung nach Wolfsriss – Bärbel Kühnemund", `
Sehr geehrte Frau Kühnemund,

die genetische Untersuchung hat den Wolf als Verursacher bestätigt. Für drei Mutterschafe wird Ihnen eine Entschädigung in
Höhe von 1.380,00 EUR gewährt. Die Kosten des Gutachtens trägt das Land.

Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.`),
		v5.doc("N19", "Eingang", "2026-05-04", "Müller, Jürgen",
			"Bitte um Beratung", `
Sehr geehrte Damen und Herren,

nach dem Vorfall bei Frau Kühnemund im Januar möchte ich meine Schafe besser schützen. Ich bitte um eine Beratung zum
Herdenschutz und zu den Fördermöglichkeiten für Elektrozäune und Herdenschutzhunde.

Mit freundlichen Grüßen
Jürgen Müller`),

		// Denkmal: Glockenturm/Glockenstuhl, Straße/Strasse, ß/ss, Anträge.
		v6.doc("N20", "Antrag", "2023-09-01", "Großjohann, Reinhard",
			"Antrag auf Zuschuss zur Sanierung des Glockenturms", `
Ev. Kirchengemeinde Holzhausen
Wachsenburgstraße 7, 99310 Arnstadt

Sehr geehrte Damen und Herren,

der Glockenturm unserer Kirche St. Marien ist stark sanierungsbedürftig. Der hölzerne Glockenstuhl ist an mehreren
Stellen vom Holzwurm befallen; seit Ostern darf nicht mehr geläutet werden. Ein Gutachten zum Glockenstuhl ist beauftragt.
Wir beantragen einen Zuschuss aus dem Programm zur Förderung kirchlicher Baudenkmale.

Mit freundlichen Grüßen
Reinhard Großjohann
Vorsitzender des Gemeindekirchenrates`),
		v6.doc("N21", "Eingang", "2023-11-15", "Ingenieurbüro Fiedler & Partner",
			"Statisches Gutachten zum Glockenstuhl", `
Gutachten

Der Glockenstuhl aus Eichenholz stammt aus dem Jahr 1732. Drei Ständer des Glockenstuhls sind am Fußpunkt vollständig
zerstört. Die Standsicherheit des Glockenstuhles ist nicht mehr gegeben. Wir empfehlen, den Glockenstuhl zu zerlegen und
mit Eichenholz zu ergänzen. Der Glockenturm selbst ist standsicher.

Kosten: 184.300,00 EUR brutto.`),
		v6.doc("N22", "Bescheid", "2024-03-01", "Referat 41",
			"Zuwendungsbescheid Denkmalpflege St. Marien", `
Ev. Kirchengemeinde Holzhausen, Wachsenburgstraße 7, 99310 Arnstadt

Sehr geehrter Herr Großjohann,

auf Ihre Anträge vom 01.09.2023 und 20.11.2023 bewilligen wir für die Sanierung des Glockenturms der Kirche St. Marien
einen Zuschuss in Höhe von 120.000,00 EUR. Die Maßnahme ist bis zum 30.11.2025 abzuschließen.

Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.`),
		v6.doc("N23", "Verfügung", "2024-03-04", "Referat 41",
			"Auszahlung der ersten Rate", `
Verfügung

1. Auszahlung der ersten Rate von 60.000,00 EUR für die Instandsetzung des Glockenstuhls veranlassen.
2. Wv. 01.09.2024 (Zwischennachweis).`),
		v6.doc("N24", "Scan", "2026-05-12", "Großjohann, Reinhard",
			"Scan: Verwendungsnachweis", `
VERWENDUNGSNACHWEIS
Zuwendungsempfänger: Ev. Kirchengemeinde Holzhausen, Wachsenburgstrasse 7, 99310 Arnstadt
Maßnahme: Sanierung Glockenturm St. Marien
Ausgaben insgesamt: 178.950,12 EUR
Zuwendung: 120.000,00 EUR
Holzhausen, den 08.05.2026   R. Grossjohann`),

		// Bauleitplanung: Zauneidechse (ordered by frequency), Umsiedlung.
		v7.doc("N25", "Eingang", "2025-08-14", "Büro für Landschaftsökologie Rödiger",
			"Kartierung der Zauneidechse im Plangebiet", `
Sehr geehrte Damen und Herren,

bei fünf Begehungen zwischen April und Juli 2025 haben wir im Plangebiet 23 adulte Zauneidechsen und zahlreiche Jungtiere
nachgewiesen. Die Zauneidechse ist nach Anhang IV der FFH-Richtlinie streng geschützt. Vor Beginn der Erschließung ist eine
Umsiedlung der Zauneidechsen in ein geeignetes Ersatzhabitat erforderlich.

Mit freundlichen Grüßen
Dr. Katrin Rödiger`),
		v7.doc("N26", "Vermerk", "2025-09-02", "Referat 61",
			"Vermerk zur Umsiedlung", `
Vermerk

1. Der Vorhabenträger hat ein Ersatzhabitat am Südhang angeboten (Flurstück 112/4).
2. Die Zauneidechse findet dort Sonnenplätze, Steinriegel und Eiablageplätze; die Fläche ist groß genug.
3. Die Umsiedlung darf erst nach der Eiablage und vor der Winterruhe der Zauneidechsen erfolgen. Die Zauneidechsen sind
   mit Reptilienzäunen am Zurückwandern zu hindern.`),
		v7.doc("N27", "E-Mail", "2026-01-15", "Rödiger, Katrin",
			"AW: Ersatzhabitat am Südhang", `
Von: k.roediger@landschaftsoekologie-roediger.de
Gesendet: 15.01.2026

Guten Tag,

das Ersatzhabitat ist fertiggestellt. Die Zauneidechse kann ab Mitte April abgefangen werden; vorher sind die Tiere in der
Winterruhe. Wir schlagen vor, die Zauneidechsen in vier Fangdurchgängen umzusetzen.

Viele Grüße
Katrin Rödiger`),
		v7.doc("N28", "Bescheid", "2026-03-30", "Referat 61",
			"Ausnahmegenehmigung nach § 45 Abs. 7 BNatSchG", `
Sehr geehrte Damen und Herren,

die Ausnahme von den Verboten des § 44 Abs. 1 BNatSchG wird erteilt. Auflage: Die Umsiedlung der Zauneidechse ist von einer
fachkundigen Person zu begleiten und bis zum 31.12.2026 zu dokumentieren.

Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.`),

		// Gewässer: Renaturierung and its compounds, phrase with stop word.
		v8.doc("N29", "Antrag", "2024-05-06", "Stadt Erfurt, Umwelt- und Naturschutzamt",
			"Förderantrag Renaturierungsvorhaben Gera-Aue", `
Sehr geehrte Damen und Herren,

die Stadt Erfurt beantragt Fördermittel für das Renaturierungsvorhaben an der Gera zwischen Möbisburg und Bischleben.
Das Renaturierungsvorhaben umfasst den Rückbau von zwei Wehren, die Anlage von Flutrinnen und die Pflanzung von Auwald
auf 14 Hektar.

Mit freundlichen Grüßen
Im Auftrag
Reinhardt`),
		v8.doc("N30", "Protokoll", "2024-07-11", "Referat 54",
			"Protokoll der Lenkungsgruppe", `
Protokoll der Lenkungsgruppe vom 10.07.2024

TOP 1: Stand der Renaturierung der Gera-Aue. Die Planung für den ersten Abschnitt liegt vor.
TOP 2: Die Landwirte der Gemarkung Möbisburg verlangen einen Flächentausch; ohne ihn ist die Renaturierung im zweiten
Abschnitt nicht möglich.
TOP 3: Nächste Sitzung im Oktober.`),
		v8.doc("N31", "Bescheid", "2024-10-01", "Referat 54",
			"Zuwendungsbescheid Gewässerentwicklung", `
Sehr geehrte Damen und Herren,

für die Renaturierungsmaßnahmen an der Gera wird eine Zuwendung in Höhe von 1.250.000,00 EUR bewilligt. Die Umsiedlung
der Muschelbestände vor Beginn der Bauarbeiten ist mit der unteren Naturschutzbehörde abzustimmen.

Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.`),

		// Personal: Sabbatjahr (ordered).
		v9.doc("N32", "Antrag", "2026-01-08", "Jäschke, Torsten",
			"Antrag auf ein Sabbatjahr", `
Sehr geehrte Damen und Herren,

ich beantrage Teilzeitbeschäftigung im Blockmodell über fünf Jahre mit einem Sabbatjahr im fünften Jahr, also vom
01.08.2030 bis zum 31.07.2031. Während der Ansparphase arbeite ich in Vollzeit bei 80 Prozent der Bezüge. Das Sabbatjahr
möchte ich für eine Weiterbildung im Ausland nutzen.

Mit freundlichen Grüßen
Torsten Jäschke`),
		v9.doc("N33", "Vermerk", "2026-01-22", "Referat 12",
			"Beteiligung des Personalrats", `
Vermerk

1. Der Personalrat hat dem Antrag von Herrn Jäschke am 21.01.2026 zugestimmt.
2. Dienstliche Belange stehen dem Sabbatjahr nicht entgegen; die Vertretung ist geregelt.`),
		v9.doc("N34", "Bescheid", "2026-02-02", "Referat 12",
			"Bewilligung der Teilzeitbeschäftigung im Blockmodell", `
Sehr geehrter Herr Jäschke,

Ihrem Antrag wird entsprochen. Die Freistellungsphase (Sabbatjahr) beginnt am 01.08.2030. Wird das Sabbatjahr nicht
angetreten, werden die zu wenig gezahlten Bezüge nachgezahlt.

Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.`),

		// Mobilfunk (ordered), titel: with OR.
		v10.doc("N35", "Eingang", "2025-03-03", "Deutsche Funkturm GmbH",
			"Standortanfrage Mobilfunkmast Gemarkung Oberilm", `
Sehr geehrte Damen und Herren,

zur Schließung einer Versorgungslücke planen wir einen Mobilfunkmast mit 40 m Höhe im Außenbereich der Gemarkung Oberilm.
Wir bitten um Mitteilung, ob landeseigene Flächen als Standort zur Verfügung stehen.

Mit freundlichen Grüßen
Netzplanung Ost`),
		v10.doc("N36", "Eingang", "2025-04-15", "Bürgerinitiative Oberilm",
			"Einwendungen gegen den geplanten Sendemast", `
Sehr geehrte Damen und Herren,

wir wenden uns gegen die geplanten Mobilfunkmasten am Ortsrand. Ein Mobilfunkmast gehört nicht neben den Kindergarten.
Alternativ schlagen wir vor, die Mobilfunkmasten auf dem Gewerbegebiet zu errichten.

Mit freundlichen Grüßen
Die Sprecher der Bürgerinitiative`),
		v10.doc("N37", "Vermerk", "2025-05-20", "Referat 83",
			"Abstimmung mit der Gemeinde", `
Vermerk

1. Die Gemeinde befürwortet einen Standort im Gewerbegebiet.
2. Der Netzbetreiber prüft, ob der Mobilfunkmast dort die Versorgungslücke schließt.`),

		// Schule: Photovoltaik* (prefix, ordered).
		v11.doc("N38", "Antrag", "2025-06-02", "Regelschule Am Anger, Schulleitung",
			"Photovoltaikanlage auf dem Schuldach", `
Sehr geehrte Damen und Herren,

im Zuge der Dachsanierung möchte die Schule eine Photovoltaikanlage mit 99 kWp errichten. Die Photovoltaikanlage soll den
Eigenbedarf der Schule decken; der Überschuss wird eingespeist.

Mit freundlichen Grüßen
Schulleitung`),
		v11.doc("N39", "Vermerk", "2025-07-01", "Referat 44",
			"Wirtschaftlichkeitsberechnung", `
Vermerk

1. Bei 950 kWh je kWp und einem Eigenverbrauch von 60 Prozent amortisiert sich die Photovoltaik nach elf Jahren.
2. Die Statik des Daches trägt die Photovoltaik ohne Verstärkung.
3. Förderung: Photovoltaik auf Schulen ist im Klimaschutzprogramm förderfähig.`),
		v11.doc("N40", "Bescheid", "2025-09-15", "Referat 44",
			"Zuwendungsbescheid Dachsanierung", `
Sehr geehrte Damen und Herren,

für die Dachsanierung der Regelschule Am Anger einschließlich der Photovoltaikanlage wird eine Zuwendung in Höhe von
212.400,00 EUR bewilligt.

Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden.`),
	}
}
