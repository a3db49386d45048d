package demo

import (
	"regexp"
	"strconv"
	"strings"

	"aktenwerk/internal/access"
	"aktenwerk/internal/records"
)

var (
	rAdminReg = []access.Role{access.RoleAdmin, access.RoleRegistratur}
	rSB       = []access.Role{access.RoleSachbearbeitung}
	rLeitung  = []access.Role{access.RoleLeitung}
	rAudit    = []access.Role{access.RoleAudit}
)

// tenantDefs lists the Mandanten in load order; STK comes last because its
// existence marks a complete load.
func tenantDefs() []tenantDef {
	return []tenantDef{tfm(), tmbjs(), erf(), stk()}
}

var yearRE = regexp.MustCompile(`20[0-9][0-9]`)

func num(k *kontext, key string) float64 {
	k.get(key)
	return k.f[key]
}

func atof(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// ---------------------------------------------------------------------------
// What every Aktenplan has: Allgemeine Verwaltung and Personal.

func allgemein(referatOrg, referatPers string) []posDef {
	return []posDef{
		{Kz: "0", Titel: "Allgemeine Verwaltung"},
		{Kz: "01", Parent: "0", Titel: "Organisation"},
		{Kz: "011", Parent: "01", Titel: "Geschäftsverteilung", Frist: 10, Archiv: records.ArchivArchivieren, Thema: &thema{
			Referat: referatOrg,
			Akten:   []string{"zdA:Geschäftsverteilungsplan 2025", "Geschäftsverteilungsplan 2026"},
			Beschr:  "Fortschreibung des Geschäftsverteilungsplans, Vertretungsregelungen und Zeichnungsbefugnisse.",
			V:       [2]int{2, 3}, Ablauf: "intern", Partner: "intern",
			Vorgaenge: []string{"{betreff}"},
			Faelle: []map[string]string{
				{"betreff": "Fortschreibung des Geschäftsverteilungsplans zum {stichtag}",
					"anlass":    "Zum {stichtag} treten zwei Referatsleitungen in den Ruhestand; zugleich werden Aufgaben der Digitalisierung neu zugeordnet. Der Geschäftsverteilungsplan ist entsprechend fortzuschreiben.",
					"sachstand": "Der Entwurf liegt vor und ist mit den Abteilungsleitungen abgestimmt. Der Personalrat wurde nach dem Thüringer Personalvertretungsgesetz beteiligt und hat keine Einwände erhoben.",
					"vorschlag": "Inkraftsetzung zum {stichtag} nach Zeichnung durch die Hausleitung; Veröffentlichung im Intranet und Unterrichtung der Beschäftigten per Rundmail."},
				{"betreff": "Vertretungsregelung der Abteilungsleitungen",
					"anlass":    "Die bisherige Vertretungsregelung berücksichtigt die neu gebildete Stabsstelle nicht; bei gleichzeitiger Abwesenheit fehlt eine Zeichnungsbefugnis.",
					"sachstand": "Es gibt derzeit keine Regelung für die Vertretung im Fall der gleichzeitigen Abwesenheit von Abteilungsleitung und ständiger Vertretung. Im Sommer hat das zweimal zu Verzögerungen bei Kabinettsachen geführt.",
					"vorschlag": "Die dienstälteste Referatsleitung der Abteilung vertritt in zweiter Linie; die Zeichnungsbefugnis wird entsprechend erweitert."},
				{"betreff": "Neuzuschnitt des Referats {nr}",
					"anlass":    "Durch den Wegfall der Aufgaben der Beauftragten für den Wiederaufbau ist das Referat {nr} nicht mehr ausgelastet.",
					"sachstand": "Die Aufgabenkritik hat ergeben, dass rund 40 Prozent der Aufgaben entfallen. Drei Stellen können anderen Referaten zugeordnet werden.",
					"vorschlag": "Zusammenlegung mit dem Nachbarreferat zum Jahresbeginn; die Stellen werden mit ihren Inhaberinnen und Inhabern umgesetzt."},
			},
		}},
		{Kz: "02", Parent: "0", Titel: "Informationstechnik und Digitalisierung"},
		{Kz: "021", Parent: "02", Titel: "Einführung und Betrieb der E-Akte", Frist: 10, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: referatOrg,
			Akten:   []string{"Einführung der E-Akte"},
			V:       [2]int{2, 3}, Ablauf: "intern", Partner: "intern",
			Vorgaenge: []string{"{betreff}"},
			Faelle: []map[string]string{
				{"betreff": "Schulung der Registratur für die E-Akte",
					"anlass":    "Mit dem Produktivstart der E-Akte im {quartal} müssen alle Beschäftigten der Registratur und der Poststelle geschult sein.",
					"sachstand": "{anzahl} von 48 Beschäftigten haben die Basisschulung abgeschlossen. Für die übrigen sind Termine im Schulungsraum reserviert; zwei Termine fielen krankheitsbedingt aus.",
					"vorschlag": "Zwei zusätzliche Schulungstermine anbieten und die Teilnahme über die Referatsleitungen nachhalten."},
				{"betreff": "Ersetzendes Scannen laufender Papierakten",
					"anlass":    "Laufende Papierakten sollen vor der Umstellung ersetzend gescannt werden (TR-RESISCAN).",
					"sachstand": "Das Scankonzept liegt im Entwurf vor. Offen ist, wie lange die Originale nach dem Scannen aufbewahrt werden und wie Urkunden behandelt werden.",
					"vorschlag": "Originale nach der Qualitätskontrolle drei Monate aufbewahren und dann vernichten; Urkunden und Originale mit Siegel bleiben im Papierarchiv."},
				{"betreff": "Anpassung des Aktenplans für die E-Akte",
					"anlass":    "Der Aktenplan stammt in Teilen aus dem Jahr 2009 und bildet neue Aufgaben nicht ab.",
					"sachstand": "Die Registratur hat die Positionen mit den Referaten durchgesehen. Zwölf Positionen werden nicht mehr benötigt, für fünf Aufgaben fehlen Positionen; Aufbewahrungsfristen und Archiventscheidungen sind mit dem Landesarchiv abzustimmen.",
					"vorschlag": "Nicht mehr benötigte Positionen schließen statt löschen, neue Positionen zum Jahresbeginn anlegen, Abstimmung mit dem Landesarchiv bis Ende des Quartals."},
			},
		}},
		{Kz: "022", Parent: "02", Titel: "Informationssicherheit und Datenschutz", Frist: 10, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: referatOrg,
			Akten:   []string{"Informationssicherheit und Datenschutz 2026"},
			V:       [2]int{2, 3}, Ablauf: "intern", Partner: "intern",
			Vorgaenge: []string{"{betreff}"},
			Faelle: []map[string]string{
				{"betreff": "Datenschutz-Folgenabschätzung E-Akte",
					"anlass":    "Für die Verarbeitung personenbezogener Daten in der E-Akte ist eine Datenschutz-Folgenabschätzung nach Art. 35 DSGVO erforderlich.",
					"sachstand": "Der behördliche Datenschutzbeauftragte hat den Entwurf geprüft. Nachzuarbeiten sind das Lösch- und das Berechtigungskonzept.",
					"vorschlag": "Löschkonzept aus den Aufbewahrungsfristen des Aktenplans ableiten; Berechtigungen grundsätzlich nach Organisationseinheit vergeben."},
				{"betreff": "Sicherheitsvorfall: Phishing-Welle im Behördennetz",
					"anlass":    "Am {datum} gingen bei mehreren Beschäftigten E-Mails mit gefälschtem Absender der Landesverwaltung ein, die zur Eingabe von Zugangsdaten aufforderten.",
					"sachstand": "Zwei Beschäftigte haben den Link geöffnet, aber keine Daten eingegeben. Das Landesrechenzentrum hat die Absenderadressen gesperrt; Schadsoftware wurde nicht festgestellt.",
					"vorschlag": "Kurzinformation an alle Beschäftigten, Auffrischung der Sensibilisierungsschulung und Meldung an das CERT des Landes."},
				{"betreff": "Notfallübung Ausfall des Rechenzentrums",
					"anlass":    "Das Informationssicherheitskonzept sieht eine jährliche Notfallübung vor.",
					"sachstand": "Die Übung am {datum} hat gezeigt, dass die Fachverfahren nach vier Stunden wieder verfügbar waren. Die Alarmierungskette funktionierte; die Telefonliste war jedoch veraltet.",
					"vorschlag": "Telefonliste quartalsweise aktualisieren; nächste Übung mit Wiederherstellung aus der Datensicherung."},
			},
		}},
		{Kz: "1", Titel: "Personal"},
		{Kz: "11", Parent: "1", Titel: "Personalgewinnung"},
		{Kz: "111", Parent: "11", Titel: "Stellenausschreibungen und Auswahlverfahren", Frist: 5, Archiv: records.ArchivVernichten, Thema: &thema{
			Referat: referatPers,
			Akten:   []string{"zdA:Stellenausschreibung {stelle} – Kennziffer {nr}/2025", "Stellenausschreibung {stelle} – Kennziffer {nr}/2026", "Stellenausschreibung {stelle} – Kennziffer {nr}/2026"},
			Beschr:  "Ausschreibung, Bewerbungen und Auswahlverfahren. Personenbezogene Daten: Aufbewahrung sechs Monate nach Abschluss des Verfahrens.",
			V:       [2]int{3, 4}, Ablauf: "bewerbung", Partner: "person",
			Vorgaenge: []string{"Bewerbung {person}"},
			Meta: func(k *kontext) records.Metadata {
				_, kz, _ := strings.Cut(k.get("akte"), "Kennziffer ")
				return records.Metadata{"kennziffer": kz, "stelle": k.get("stelle"), "befristet": chance(k.r, 0.3)}
			},
			Vars:   map[string][]string{"bewerbung_text": bewerbungTexte},
			Faelle: auswahlFaelle,
		}},
		{Kz: "12", Parent: "1", Titel: "Aus- und Fortbildung"},
		{Kz: "121", Parent: "12", Titel: "Ausbildung", Frist: 10, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: referatPers,
			Akten:   []string{"Ausbildungsjahrgang 2026 – Verwaltungsfachangestellte"},
			V:       [2]int{3, 4}, Ablauf: "bewerbung", Partner: "person",
			Vorgaenge: []string{"Bewerbung um einen Ausbildungsplatz: {person}"},
			Vars: map[string][]string{
				"stelle":         {"Ausbildung zur/zum Verwaltungsfachangestellten (Beginn 01.09.2026)"},
				"bewerbung_text": {"Im Sommer schließe ich die Regelschule in {p_ort} mit dem Realschulabschluss ab. In einem Praktikum im Bürgerbüro der Stadt habe ich gemerkt, dass mir die Arbeit mit Menschen und mit Vorschriften liegt.", "Ich besuche die 12. Klasse des Gymnasiums und werde im Sommer das Abitur ablegen. Mich interessiert, wie Verwaltung funktioniert, und ich möchte einen sicheren Beruf mit Verantwortung erlernen."},
			},
			Faelle: auswahlFaelle,
		}},
		{Kz: "122", Parent: "12", Titel: "Fortbildung", Frist: 5, Archiv: records.ArchivVernichten, Thema: &thema{
			Referat: referatPers,
			Akten:   []string{"Fortbildungsprogramm 2026"},
			V:       [2]int{2, 3}, Ablauf: "intern", Partner: "intern",
			Vorgaenge: []string{"{betreff}"},
			Faelle: []map[string]string{
				{"betreff": "Inhouse-Schulung Verwaltungsverfahrensrecht",
					"anlass":    "In den Widerspruchsverfahren des letzten Jahres fielen wiederholt Anhörungs- und Begründungsmängel auf.",
					"sachstand": "Die Verwaltungsfachhochschule in Gotha bietet eine eintägige Inhouse-Schulung an; Kosten rund 1.200 € zuzüglich Reisekosten der Dozentin.",
					"vorschlag": "Schulung für bis zu 20 Beschäftigte im {quartal} durchführen; Teilnahme für neu eingestellte Sachbearbeiterinnen und Sachbearbeiter verpflichtend."},
				{"betreff": "Führungskräftefortbildung „Führen in Teilzeit und auf Distanz“",
					"anlass":    "Mehrere Referatsleitungen führen ihre Teams überwiegend mobil; das Fortbildungsangebot der Landesverwaltung deckt das Thema bisher nicht ab.",
					"sachstand": "Zwei Anbieter haben Angebote abgegeben. Das günstigere Angebot umfasst zwei Module zu je zwei Tagen.",
					"vorschlag": "Beauftragung des günstigeren Anbieters; Teilnahme der Referatsleitungen nach Anmeldung."},
				{"betreff": "Fortbildungsplanung 2027",
					"anlass":    "Die Abteilungen haben ihre Fortbildungsbedarfe für 2027 gemeldet.",
					"sachstand": "Schwerpunkte sind E-Akte, Vergaberecht und Gesprächsführung. Das Budget reicht für rund 80 Prozent der gemeldeten Bedarfe.",
					"vorschlag": "Priorisierung nach dienstlicher Notwendigkeit; E-Akte-Schulungen haben Vorrang."},
			},
		}},
	}
}

var bewerbungTexte = []string{
	"Nach meinem Studium der Verwaltungswissenschaften an der Hochschule Harz habe ich fünf Jahre in der Kommunalverwaltung gearbeitet, zuletzt im Bereich Haushalt und Controlling der Stadtverwaltung {p_ort}.",
	"Ich bin Diplom-Verwaltungswirtin (FH) bzw. Diplom-Verwaltungswirt (FH) und seit 2019 beim Landesverwaltungsamt in Weimar tätig. Dort bearbeite ich Zuwendungsverfahren und Verwendungsnachweisprüfungen.",
	"Nach meinem Jurastudium in Jena und dem Referendariat am Landgericht Erfurt habe ich zwei Jahre in einer Kanzlei für Verwaltungsrecht gearbeitet. Nun möchte ich in die öffentliche Verwaltung wechseln.",
	"Als Fachinformatikerin bzw. Fachinformatiker für Systemintegration betreue ich seit sechs Jahren die IT eines mittelständischen Unternehmens in {p_ort}, einschließlich Netzwerk, Clients und Informationssicherheit.",
}

var auswahlFaelle = []map[string]string{
	{"empfehlung": "die Besetzung der Stelle mit dieser Bewerbung (Rang 1)",
		"mitteilung": "wir freuen uns, Ihnen mitteilen zu können, dass die Wahl auf Sie gefallen ist. Vorbehaltlich der Zustimmung des Personalrats bieten wir Ihnen die Einstellung zum nächstmöglichen Zeitpunkt an. Die Personalstelle setzt sich wegen der weiteren Unterlagen mit Ihnen in Verbindung."},
	{"empfehlung": "eine Platzierung auf Rang 2 als Nachrückerin bzw. Nachrücker",
		"mitteilung": "leider konnten wir Ihre Bewerbung diesmal nicht berücksichtigen; die Entscheidung ist uns angesichts der Qualität der Bewerbungen nicht leichtgefallen. Wir haben Sie jedoch für den Fall vorgemerkt, dass die Stelle kurzfristig erneut zu besetzen ist."},
	{"empfehlung": "die Bewerbung nicht weiter zu berücksichtigen",
		"mitteilung": "leider müssen wir Ihnen mitteilen, dass wir uns für eine andere Bewerbung entschieden haben. Wir danken Ihnen für Ihr Interesse und wünschen Ihnen für Ihren weiteren Berufsweg alles Gute."},
}

// ---------------------------------------------------------------------------
// Thüringer Staatskanzlei

func stk() tenantDef {
	plan := allgemein("Referat 11 – Organisation und IT", "Referat 12 – Personal")
	plan = append(plan,
		posDef{Kz: "015", Parent: "01", Titel: "Krisenstab Corona-Pandemie (2020–2023)", Frist: 30, Archiv: records.ArchivArchivieren, Schliessen: true, Thema: &thema{
			Referat: "Referat 11 – Organisation und IT",
			Akten:   []string{"zdA:Krisenstab der Landesregierung – Auflösung und Evaluation"},
			V:       [2]int{2, 2}, Ablauf: "intern", Partner: "intern",
			Vorgaenge: []string{"{betreff}"},
			Faelle: []map[string]string{
				{"betreff": "Abschlussbericht des Krisenstabs",
					"anlass":    "Der Landtag hat um einen Abschlussbericht über die Arbeit des Krisenstabs gebeten.",
					"sachstand": "Die Ressorts haben ihre Beiträge geliefert. Der Entwurf umfasst 84 Seiten und enthält eine Chronologie, die Rechtsgrundlagen und die Lehren für künftige Lagen.",
					"vorschlag": "Übersendung an den Landtag nach Kabinettbefassung; Übergabe der Unterlagen an das Landesarchiv."},
				{"betreff": "Übergabe der Krisenstabsunterlagen an das Landesarchiv",
					"anlass":    "Nach Auflösung des Krisenstabs sind die Unterlagen dem Landesarchiv anzubieten.",
					"sachstand": "Das Landesarchiv hat die Unterlagen als archivwürdig bewertet. Die Papierunterlagen sind verpackt und verzeichnet.",
					"vorschlag": "Abgabe mit Abgabeverzeichnis; die elektronischen Unterlagen werden als XDOMEA-Paket übergeben."},
			},
		}},
		posDef{Kz: "2", Titel: "Kabinett und Landtag"},
		posDef{Kz: "21", Parent: "2", Titel: "Kabinettsangelegenheiten"},
		posDef{Kz: "211", Parent: "21", Titel: "Kabinettsitzungen", Frist: 30, Archiv: records.ArchivArchivieren, Thema: &thema{
			Referat: "Referat 21 – Kabinett und Landtag",
			Akten:   []string{"zdA:Kabinettsitzung am {sitzung}", "Kabinettsitzung am {sitzung}", "Kabinettsitzung am {sitzung}", "Kabinettsitzung am {sitzung}"},
			V:       [2]int{2, 3}, Ablauf: "kabinett", Partner: "behoerde", Anker: "sitzung",
			Vorgaenge: []string{"Kabinettvorlage {ressortkurz}: {vorlage}"},
			Meta: func(k *kontext) records.Metadata {
				return records.Metadata{"sitzungsdatum": k.get("sitzung"), "sitzungsart": pick(k.r, []string{"ordentlich", "ordentlich", "Sondersitzung"})}
			},
			Faelle: kabinettFaelle,
		}},
		posDef{Kz: "22", Parent: "2", Titel: "Landtag"},
		posDef{Kz: "221", Parent: "22", Titel: "Kleine Anfragen", Frist: 10, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: "Referat 21 – Kabinett und Landtag",
			Akten:   []string{"Kleine Anfragen 8. Wahlperiode – Staatskanzlei", "Kleine Anfragen 8. Wahlperiode – Medien und Ehrenamt", "Kleine Anfragen 8. Wahlperiode – Verwaltungsmodernisierung"},
			V:       [2]int{3, 5}, Ablauf: "anfrage", Partner: "landtag",
			Vorgaenge: []string{"Kleine Anfrage {nr} ({fraktion}): {thema}"},
			VMeta: func(k *kontext) records.Metadata {
				return records.Metadata{"drucksache": k.get("drs"), "fraktion": k.get("fraktion"), "frist_wochen": 6.0}
			},
			Faelle: anfrageFaelle,
		}},
		posDef{Kz: "3", Titel: "Landesregierung und Öffentlichkeit"},
		posDef{Kz: "31", Parent: "3", Titel: "Bund-Länder-Angelegenheiten"},
		posDef{Kz: "311", Parent: "31", Titel: "Ministerpräsidentenkonferenz", Frist: 30, Archiv: records.ArchivArchivieren, Thema: &thema{
			Referat: "Referat 31 – Bund und Länder",
			Akten:   []string{"zdA:Ministerpräsidentenkonferenz 2025", "Ministerpräsidentenkonferenz 2026"},
			V:       [2]int{2, 3}, Ablauf: "intern", Partner: "intern",
			Vorgaenge: []string{"{betreff}"},
			Faelle: []map[string]string{
				{"betreff": "Vorbereitung der MPK am {sitzung}: Staatsmodernisierung",
					"anlass":    "Auf der Tagesordnung der Ministerpräsidentenkonferenz steht die Modernisierungsagenda von Bund und Ländern.",
					"sachstand": "Thüringen unterstützt den Beschlussvorschlag im Grundsatz. Strittig ist die Finanzierung gemeinsamer IT-Dienste; die Finanzministerkonferenz hat noch nicht beschlossen.",
					"vorschlag": "Zustimmung mit Protokollerklärung zur Finanzierung; Sprechzettel für die Ministerpräsidentin/den Ministerpräsidenten bis zum {frist}."},
				{"betreff": "Umlaufbeschluss der Chefinnen und Chefs der Staatskanzleien",
					"anlass":    "Die CdS-Konferenz bittet um Zustimmung zu einem Umlaufbeschluss über die Beitragsanpassung im Rundfunk.",
					"sachstand": "Die Kommission zur Ermittlung des Finanzbedarfs hat ihren Bericht vorgelegt. Die Mehrheit der Länder will dem Vorschlag folgen.",
					"vorschlag": "Zustimmung; das Medienreferat fertigt die Antwort."},
				{"betreff": "Nachbereitung MPK: Beschlüsse zur Migration",
					"anlass":    "Die MPK hat Beschlüsse zur Verteilung der Kosten der Unterbringung gefasst.",
					"sachstand": "Die Umsetzung liegt beim Innenressort; die Staatskanzlei koordiniert die Berichtspflicht gegenüber dem Bund.",
					"vorschlag": "Bitte an das TMIKL um Bericht zum Umsetzungsstand bis zum {frist}."},
			},
		}},
		posDef{Kz: "32", Parent: "3", Titel: "Bürgeranliegen und Öffentlichkeitsarbeit"},
		posDef{Kz: "321", Parent: "32", Titel: "Bürgeranliegen an die Ministerpräsidentin/den Ministerpräsidenten", Frist: 5, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: "Referat 32 – Bürgeranliegen",
			Akten:   []string{"zdA:Bürgeranliegen 2025", "Bürgeranliegen 2026 – Infrastruktur und Verkehr", "Bürgeranliegen 2026 – Bildung und Familie", "Bürgeranliegen 2026 – Verschiedenes"},
			V:       [2]int{3, 5}, Ablauf: "eingabe", Partner: "person",
			Vorgaenge: []string{"Schreiben {person}, {p_ort}: {anliegen}"},
			VMeta: func(k *kontext) records.Metadata {
				return records.Metadata{"eingangskanal": pick(k.r, []string{"Post", "E-Mail", "Kontaktformular"}), "petent": k.get("person")}
			},
			Faelle: buergerFaelle,
		}},
		posDef{Kz: "33", Parent: "3", Titel: "Ehrungen"},
		posDef{Kz: "331", Parent: "33", Titel: "Verdienstorden des Freistaats Thüringen", Frist: 50, Archiv: records.ArchivArchivieren, Thema: &thema{
			Referat: "Referat 33 – Protokoll und Ehrungen",
			Akten:   []string{"Verdienstorden – Vorschlag {person}, {ort}", "Verdienstorden – Vorschlag {person}, {ort}", "Ehrenamtspreis {jahr}"},
			V:       [2]int{1, 2}, Ablauf: "intern", Partner: "intern",
			Vorgaenge: []string{"{betreff}"},
			Faelle: []map[string]string{
				{"betreff": "Prüfung des Ordensvorschlags",
					"anlass":    "Der Landrat hat die Verleihung des Verdienstordens an eine seit über 30 Jahren ehrenamtlich tätige Person vorgeschlagen (Freiwillige Feuerwehr, Jugendarbeit, Ortschaftsrat).",
					"sachstand": "Die Stellungnahmen der Gemeinde und des Innenressorts liegen vor und befürworten die Auszeichnung. Eine Auskunft aus dem Bundeszentralregister liegt ohne Eintrag vor.",
					"vorschlag": "Vorlage an die Ministerpräsidentin/den Ministerpräsidenten zur Entscheidung; Aushändigung im Rahmen der Ordensverleihung im {quartal}."},
				{"betreff": "Vorbereitung der Ordensverleihung",
					"anlass":    "Die Verleihung soll im Festsaal der Staatskanzlei stattfinden.",
					"sachstand": "Es sind {anzahl} Auszuzeichnende mit je zwei Begleitpersonen eingeladen. Laudationes und Urkunden sind in Arbeit.",
					"vorschlag": "Ablauf wie im Vorjahr; Pressemitteilung am Tag der Verleihung."},
			},
		}},
	)
	return tenantDef{
		Code: "STK", Name: "Thüringer Staatskanzlei",
		Strasse: "Regierungsstraße 73", PLZ: "99084", Domain: "tsk.thueringen.de", Telefon: "0361 57321",
		RechtsbehelfKind: "klage",
		Users: []userDef{
			{Login: "michael.wagner", Name: "Michael Wagner", Funktion: "Registratur", Roles: rAdminReg},
			{Login: "sabine.hoffmann", Name: "Sabine Hoffmann", Frau: true, Funktion: "Referentin", Roles: rSB},
			{Login: "thomas.richter", Name: "Thomas Richter", Funktion: "Referent", Roles: rSB},
			{Login: "katrin.lehmann", Name: "Dr. Katrin Lehmann", Frau: true, Funktion: "Referatsleiterin", Roles: rLeitung},
			{Login: "frank.schubert", Name: "Frank Schubert", Funktion: "Innenrevision", Roles: rAudit},
		},
		Plan: plan,
	}
}

var kabinettFaelle = []map[string]string{
	{"ressort": "Thüringer Ministerium für Inneres, Kommunales und Landesentwicklung", "ressortkurz": "TMIKL",
		"vorlage":         "Entwurf eines Gesetzes zur Änderung des Thüringer Kommunalabgabengesetzes",
		"kostenfolge":     "Mehrausgaben von jährlich rund 15 Mio. Euro für die Erstattung an die Gemeinden; Deckung im Einzelplan 17.",
		"vorlage_problem": "Die Erhebung von Straßenausbaubeiträgen ist abgeschafft; die Erstattung an die Gemeinden ist bisher nur bis 2026 geregelt.",
		"weiter":          "dem Landtag zuzuleiten"},
	{"ressort": "Thüringer Ministerium für Bildung, Jugend und Sport", "ressortkurz": "TMBJS",
		"vorlage":         "Verordnung zur Änderung der Thüringer Schulordnung",
		"kostenfolge":     "Keine Mehrkosten für Land und Kommunen.",
		"vorlage_problem": "Die Regelungen zur Leistungsbewertung in der Oberstufe sind an die Vereinbarung der Kultusministerkonferenz anzupassen.",
		"weiter":          "zu erlassen"},
	{"ressort": "Thüringer Finanzministerium", "ressortkurz": "TFM",
		"vorlage":         "Eckwerte für den Landeshaushalt 2027",
		"kostenfolge":     "Keine unmittelbaren Kosten; die Eckwerte begrenzen die Ausgaben der Einzelpläne.",
		"vorlage_problem": "Für die Aufstellung des Haushalts 2027 sind die Ausgabenobergrenzen der Einzelpläne festzulegen.",
		"weiter":          "den Ressorts als verbindliche Vorgabe für die Haushaltsaufstellung mitzuteilen"},
	{"ressort": "Thüringer Ministerium für Soziales, Gesundheit, Arbeit und Familie", "ressortkurz": "TMSGAF",
		"vorlage":         "Landesprogramm „Gesundheitsversorgung im ländlichen Raum“",
		"kostenfolge":     "Mehrausgaben von jährlich {betrag}, die im Einzelplan 08 gedeckt werden.",
		"vorlage_problem": "In mehreren Landkreisen sind Hausarztsitze dauerhaft unbesetzt.",
		"weiter":          "umzusetzen und die Förderrichtlinie im Staatsanzeiger zu veröffentlichen"},
	{"ressort": "Thüringer Ministerium für Digitales und Infrastruktur", "ressortkurz": "TMDI",
		"vorlage":         "Entwurf eines Thüringer E-Government-Änderungsgesetzes",
		"kostenfolge":     "Einmalige Ausgaben für die Einführung von rund {betrag}; sie sind im Einzelplan 10 veranschlagt.",
		"vorlage_problem": "Die elektronische Aktenführung ist für die Landesverwaltung verbindlich einzuführen; Übergangsfristen laufen aus.",
		"weiter":          "zur Anhörung freizugeben"},
	{"ressort": "Thüringer Ministerium für Umwelt, Energie, Naturschutz und Forsten", "ressortkurz": "TMUENF",
		"vorlage":         "Waldzustandsbericht {jahr}",
		"kostenfolge":     "Keine.",
		"vorlage_problem": "Die Landesregierung ist verpflichtet, jährlich über den Zustand des Waldes zu berichten.",
		"weiter":          "zur Kenntnis zu nehmen und zu veröffentlichen"},
}

var anfrageFaelle = []map[string]string{
	{"thema": "Unterrichtsausfall an Regelschulen im Schuljahr 2025/2026",
		"frage1": "Wie hoch war der Unterrichtsausfall an Regelschulen im ersten Schulhalbjahr, aufgeschlüsselt nach Schulamtsbereichen?", "frage2": "Wie viele Stellen für Lehrkräfte waren zum Stichtag 1. Oktober unbesetzt?",
		"antwort1": "Der Unterrichtsausfall betrug im ersten Schulhalbjahr landesweit 7,9 Prozent; die Werte der Schulamtsbereiche liegen zwischen 6,1 und 10,4 Prozent. Die Einzelwerte sind der Anlage zu entnehmen.",
		"antwort2": "Zum Stichtag waren 412 Stellen unbesetzt, davon 168 im Bereich der Regelschulen."},
	{"thema": "Stand der Digitalisierung der Landesverwaltung",
		"frage1": "Wie viele Verwaltungsleistungen des Landes sind vollständig online verfügbar?", "frage2": "In wie vielen Behörden ist die E-Akte im Produktivbetrieb?",
		"antwort1": "Von den 575 Leistungen in Landeszuständigkeit sind 318 vollständig online verfügbar.",
		"antwort2": "Die E-Akte ist in 41 Behörden produktiv; in weiteren 23 Behörden läuft die Einführung."},
	{"thema": "Förderung des Ehrenamts im ländlichen Raum",
		"frage1": "Welche Mittel standen in den Jahren 2024 und 2025 für die Ehrenamtsförderung zur Verfügung?", "frage2": "Wie viele Anträge wurden bewilligt und wie viele abgelehnt?",
		"antwort1": "Im Jahr 2024 standen 4,2 Mio. Euro, im Jahr 2025 4,6 Mio. Euro zur Verfügung.",
		"antwort2": "Es wurden 1.184 Anträge bewilligt und 97 Anträge abgelehnt, überwiegend wegen fehlender Antragsberechtigung."},
	{"thema": "Kosten externer Beratung in der Staatskanzlei",
		"frage1": "Welche Beratungsleistungen hat die Staatskanzlei seit 2024 beauftragt?", "frage2": "Welche Kosten sind dafür entstanden?",
		"antwort1": "Beauftragt wurden drei Leistungen: eine Organisationsuntersuchung, ein Rechtsgutachten und die Begleitung des Markenprozesses.",
		"antwort2": "Die Kosten beliefen sich auf insgesamt 286.400 Euro."},
	{"thema": "Mobilfunkversorgung entlang der Bahnstrecken",
		"frage1": "Auf welchen Streckenabschnitten gibt es keine durchgehende Mobilfunkversorgung?", "frage2": "Welche Zusagen der Netzbetreiber liegen vor?",
		"antwort1": "Nach Angaben der Bundesnetzagentur bestehen Versorgungslücken insbesondere auf der Schwarzatalbahn und der Höllentalbahn.",
		"antwort2": "Die Netzbetreiber haben den Ausbau auf der Schwarzatalbahn bis Ende 2027 zugesagt."},
}

var buergerFaelle = []map[string]string{
	{"anliegen": "Busverbindung im ländlichen Raum",
		"anliegen_text": "die Buslinie zwischen meinem Wohnort und {ort2} seit dem Fahrplanwechsel nur noch zweimal täglich fährt. Ältere Menschen ohne Auto kommen so nicht mehr zum Arzt oder zum Einkaufen.",
		"stellungnahme": "Der öffentliche Personennahverkehr ist Aufgabe der Landkreise. Das zuständige Ministerium hat den Landkreis um Prüfung gebeten; nach dessen Auskunft wird ab dem nächsten Fahrplanwechsel ein Rufbus angeboten, der werktags stündlich bestellt werden kann."},
	{"anliegen": "Sanierung der Landesstraße",
		"anliegen_text": "die Landesstraße zwischen {ort} und {ort2} seit Jahren in einem katastrophalen Zustand ist. Schlaglöcher werden nur notdürftig geflickt, Radfahrer sind gefährdet.",
		"stellungnahme": "Das Landesamt für Bau und Verkehr hat den Abschnitt in das Erhaltungsprogramm aufgenommen. Die Deckensanierung ist für das kommende Jahr vorgesehen; bis dahin werden Schäden kurzfristig beseitigt."},
	{"anliegen": "Kita-Platz für mein Kind",
		"anliegen_text": "ich seit Monaten keinen Kita-Platz für meine Tochter finde, obwohl ein Rechtsanspruch besteht. Ohne Betreuung kann ich meine Arbeit nicht wieder aufnehmen.",
		"stellungnahme": "Für die Bereitstellung der Plätze ist der örtliche Träger der öffentlichen Jugendhilfe zuständig. Das Jugendamt hat uns mitgeteilt, dass Ihnen ab dem nächsten Monat ein Platz in einer Einrichtung in Ihrer Nähe angeboten werden kann; es wird sich direkt bei Ihnen melden."},
	{"anliegen": "Lehrermangel an der Schule meines Sohnes",
		"anliegen_text": "an der Schule meines Sohnes seit Wochen Mathematik und Physik ausfallen. Die Eltern sind besorgt, dass die Kinder den Anschluss verlieren.",
		"stellungnahme": "Das zuständige Schulamt hat inzwischen eine Lehrkraft abgeordnet; der Unterricht in Mathematik findet wieder vollständig statt. Für Physik wird zum Halbjahr eine Seiteneinsteigerin eingestellt."},
	{"anliegen": "Bearbeitungsdauer beim Wohngeld",
		"anliegen_text": "mein Wohngeldantrag seit fünf Monaten nicht bearbeitet wurde und ich meine Miete kaum noch zahlen kann.",
		"stellungnahme": "Die Wohngeldstelle ist Teil der Kommunalverwaltung. Auf unsere Nachfrage wurde Ihr Antrag vorrangig bearbeitet; der Bescheid ist inzwischen ergangen."},
	{"anliegen": "Einladung zu einem Vereinsjubiläum",
		"anliegen_text": "unser Heimatverein im kommenden Jahr sein 100-jähriges Bestehen feiert und wir uns sehr über ein Grußwort der Ministerpräsidentin bzw. des Ministerpräsidenten freuen würden.",
		"stellungnahme": "Die Ministerpräsidentin bzw. der Ministerpräsident gratuliert herzlich zum Jubiläum. Ein persönlicher Besuch ist aus Termingründen leider nicht möglich; ein schriftliches Grußwort für die Festschrift liegt bei."},
}

// ---------------------------------------------------------------------------
// Thüringer Finanzministerium

func tfm() tenantDef {
	plan := allgemein("Referat 11 – Organisation", "Referat 12 – Personal und Aus- und Fortbildung")
	plan = append(plan,
		posDef{Kz: "2", Titel: "Haushalt"},
		posDef{Kz: "21", Parent: "2", Titel: "Haushaltsaufstellung"},
		posDef{Kz: "211", Parent: "21", Titel: "Landeshaushalt und Einzelpläne", Frist: 10, Archiv: records.ArchivArchivieren, Thema: &thema{
			Referat: "Referat 21 – Haushaltsaufstellung",
			Akten: []string{"zdA:Haushaltsaufstellung 2026 – Einzelplan {epl}", "Haushaltsaufstellung {hhjahr} – Einzelplan {epl}", "Haushaltsaufstellung {hhjahr} – Einzelplan {epl}",
				"Haushaltsaufstellung {hhjahr} – Einzelplan {epl}", "Haushaltsaufstellung {hhjahr} – Einzelplan {epl}"},
			Beschr: "Aufstellung des Einzelplans {epl} ({eplname}): Voranschläge, Prüfung, Chefgespräche, Regierungsentwurf.",
			V:      [2]int{1, 2}, Ablauf: "haushalt", Partner: "behoerde", KeepAll: true,
			Vorgaenge: []string{"Voranschläge und Chefgespräch Einzelplan {epl}", "Stellenplan Einzelplan {epl}"},
			Meta: func(k *kontext) records.Metadata {
				return records.Metadata{"einzelplan": k.get("epl"), "haushaltsjahr": atof(yearRE.FindString(k.get("akte"))), "ressort": k.get("ressortkurz")}
			},
			Vars: map[string][]string{"mehrbedarf": {"Tarifsteigerungen und die Übernahme von Auszubildenden", "gestiegene Energie- und Bewirtschaftungskosten", "die Kofinanzierung von EU-Programmen der neuen Förderperiode", "Mehrbedarfe bei gesetzlichen Leistungen"}},
		}},
		posDef{Kz: "22", Parent: "2", Titel: "Haushaltsvollzug"},
		posDef{Kz: "221", Parent: "22", Titel: "Über- und außerplanmäßige Ausgaben", Frist: 10, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: "Referat 22 – Haushaltsvollzug",
			Akten:   []string{"zdA:Über- und außerplanmäßige Ausgaben 2025", "Über- und außerplanmäßige Ausgaben 2026"},
			V:       [2]int{3, 4}, Ablauf: "intern", Partner: "intern",
			Vorgaenge: []string{"{betreff}"},
			Faelle: []map[string]string{
				{"betreff": "Überplanmäßige Ausgabe Kapitel {kapitel} Titel {titel} über {betrag}",
					"anlass":    "Das {ressort} beantragt die Einwilligung in eine überplanmäßige Ausgabe nach Art. 99 der Landesverfassung und § 37 ThürLHO.",
					"sachstand": "Der Mehrbedarf ist unvorhergesehen und unabweisbar: Die Fallzahlen bei den gesetzlichen Leistungen liegen deutlich über der Planung. Eine Deckung innerhalb des Einzelplans ist nur teilweise möglich.",
					"vorschlag": "Einwilligung in Höhe von {betrag}; Deckung zu zwei Dritteln durch Einsparungen im Einzelplan {epl}, im Übrigen aus Minderausgaben bei Kapitel 1702."},
				{"betreff": "Außerplanmäßige Ausgabe für die Beseitigung von Unwetterschäden",
					"anlass":    "Nach den Starkregenereignissen im Juni sind an Landesstraßen und Gewässern erhebliche Schäden entstanden.",
					"sachstand": "Die Schadenshöhe wird auf {betrag} geschätzt. Im Haushalt ist kein Titel für die Soforthilfe vorhanden.",
					"vorschlag": "Einwilligung in eine außerplanmäßige Ausgabe; Unterrichtung des Haushalts- und Finanzausschusses."},
				{"betreff": "Haushaltswirtschaftliche Sperre für das zweite Halbjahr",
					"anlass":    "Die Steuerschätzung im Mai weist für das laufende Jahr Mindereinnahmen aus.",
					"sachstand": "Um den Haushaltsausgleich zu sichern, ist eine Sperre von 10 Prozent der nicht gebundenen Sachausgaben erforderlich.",
					"vorschlag": "Verfügung der Sperre nach § 41 ThürLHO mit Rundschreiben an alle Ressorts; Ausnahmen nur mit Einwilligung des TFM."},
			},
		}},
		posDef{Kz: "3", Titel: "Steuern"},
		posDef{Kz: "31", Parent: "3", Titel: "Steuerverwaltung"},
		posDef{Kz: "311", Parent: "31", Titel: "Fachaufsicht über die Finanzämter", Frist: 10, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: "Referat 31 – Organisation der Steuerverwaltung",
			Akten:   []string{"Fachaufsicht Finanzamt {finanzamt}", "Fachaufsicht Finanzamt {finanzamt}", "Fachaufsicht Finanzamt {finanzamt}", "Fachaufsicht Finanzamt {finanzamt}"},
			V:       [2]int{1, 2}, Ablauf: "aufsicht", Partner: "behoerde", KeepAll: true,
			Vorgaenge: []string{"Geschäftsprüfung {jahr} Finanzamt {finanzamt}", "Bearbeitungsdauer der Einkommensteuererklärungen im Finanzamt {finanzamt}"},
			Vars: map[string][]string{
				"bewertung":  {"Der Bericht ist plausibel. Handlungsbedarf besteht bei der Bearbeitungsdauer und bei der Dokumentation der Entscheidungen. Eine Geschäftsprüfung vor Ort wird empfohlen."},
				"vorort":     {"Es wurden {anzahl} Fälle stichprobenartig geprüft. Die Akten sind überwiegend vollständig; in einzelnen Fällen fehlen Vermerke zu telefonischen Auskünften."},
				"p_name":     {"Finanzamt {finanzamt}"},
				"p_adr":      {"Finanzamt {finanzamt}\nDie Vorsteherin / Der Vorsteher\n{strasse}\n{fa_plzort}"},
				"p_sign":     {"{person}\nVorsteherin/Vorsteher des Finanzamts {finanzamt}"},
				"p_mail":     {"{fa_mail}"},
				"p_kurz":     {"FA_{finanzamt}"},
				"p_briefort": {"{finanzamt}"},
				"bericht": {"Im Berichtszeitraum wurden {anzahl}.000 Einkommensteuererklärungen bearbeitet. Die durchschnittliche Bearbeitungsdauer ist von 58 auf 51 Tage gesunken. Rückstände bestehen in der Arbeitnehmerveranlagung wegen längerer Erkrankungen im Team.",
					"Die Zahl der Einsprüche ist gegenüber dem Vorjahr um 12 Prozent gestiegen, vor allem wegen der Grundsteuerwertbescheide. Die Einspruchsstelle wurde vorübergehend um zwei Beschäftigte verstärkt.",
					"Die Umstellung auf die elektronische Akte ist abgeschlossen. Papiereingänge werden in der Poststelle gescannt und am selben Tag zugeordnet."},
			},
		}},
		posDef{Kz: "32", Parent: "3", Titel: "Grundsteuer"},
		posDef{Kz: "321", Parent: "32", Titel: "Umsetzung der Grundsteuerreform", Frist: 10, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: "Referat 32 – Besitz- und Verkehrsteuern",
			Akten:   []string{"Grundsteuerreform – Eingaben von Bürgerinnen und Bürgern", "Grundsteuerreform – Anfragen von Kommunen"},
			V:       [2]int{3, 5}, Ablauf: "eingabe", Partner: "person",
			Vorgaenge: []string{"Eingabe {person}, {p_ort}: {anliegen}"},
			Faelle: []map[string]string{
				{"anliegen": "Grundsteuerwertbescheid für ein Einfamilienhaus",
					"anliegen_text": "der Grundsteuerwert für mein Einfamilienhaus in {p_ort} um ein Vielfaches höher festgesetzt wurde als der alte Einheitswert. Die Bodenrichtwerte in meiner Straße sind aus meiner Sicht viel zu hoch angesetzt.",
					"stellungnahme": "Die Grundsteuerwerte beruhen auf den Bodenrichtwerten der Gutachterausschüsse zum Stichtag 1. Januar 2022. Ein höherer Grundsteuerwert führt nicht automatisch zu einer höheren Grundsteuer, weil die Gemeinden ihre Hebesätze anpassen. Einwände gegen den Bescheid müssen mit einem Einspruch beim Finanzamt geltend gemacht werden."},
				{"anliegen": "Hebesatz der Gemeinde nach der Grundsteuerreform",
					"anliegen_text": "meine Grundsteuer nach der Reform um 80 Prozent gestiegen ist, obwohl die Reform aufkommensneutral sein sollte.",
					"stellungnahme": "Die Aufkommensneutralität bezieht sich auf das Gesamtaufkommen einer Gemeinde, nicht auf das einzelne Grundstück. Die Festsetzung des Hebesatzes ist Sache der Gemeinde; das Finanzministerium veröffentlicht dafür aufkommensneutrale Hebesätze als Orientierung."},
				{"anliegen": "Grundsteuer für ein land- und forstwirtschaftliches Grundstück",
					"anliegen_text": "ich für meine kleine Streuobstwiese eine eigene Erklärung abgeben musste und nun Grundsteuer A zahlen soll, obwohl ich damit keinerlei Ertrag erziele.",
					"stellungnahme": "Auch nicht bewirtschaftete Flächen der Land- und Forstwirtschaft unterliegen der Grundsteuer A; maßgeblich ist die Art der Fläche, nicht der tatsächliche Ertrag. Der Betrag ist in diesen Fällen in der Regel gering."},
			},
		}},
		posDef{Kz: "4", Titel: "Liegenschaften und Vermögen"},
		posDef{Kz: "41", Parent: "4", Titel: "Landesliegenschaften"},
		posDef{Kz: "411", Parent: "41", Titel: "Erwerb und Veräußerung von Liegenschaften", Frist: 30, Archiv: records.ArchivArchivieren, Thema: &thema{
			Referat: "Referat 41 – Liegenschaften",
			Akten: []string{"zdA:Veräußerung Liegenschaft {strasse}, {ort} (Flurstück {flst})", "Veräußerung Liegenschaft {strasse}, {ort} (Flurstück {flst})",
				"Veräußerung Liegenschaft {strasse}, {ort} (Flurstück {flst})", "Veräußerung Liegenschaft {strasse}, {ort} (Flurstück {flst})"},
			V: [2]int{1, 1}, Ablauf: "liegenschaft", Partner: "kommune", KeepAll: true,
			Vorgaenge: []string{"Verkauf an die Stadt {ort}"},
			Meta: func(k *kontext) records.Metadata {
				return records.Metadata{"flurstueck": k.get("flst"), "verkehrswert": num(k, "betrag"), "denkmalschutz": chance(k.r, 0.4), "nutzung_bisher": pick(k.r, []string{"Verwaltungsgebäude", "Forstamt", "Straßenmeisterei", "Dienstwohnungen"})}
			},
			Vars: map[string][]string{"nutzung": {"ein Bürgerhaus", "Räume für die Musikschule", "ein Feuerwehrgerätehaus", "altersgerechte Wohnungen", "eine Kindertagesstätte"}},
		}},
		posDef{Kz: "412", Parent: "41", Titel: "Konversionsliegenschaften (bis 2024)", Frist: 30, Archiv: records.ArchivArchivieren, Schliessen: true, Thema: &thema{
			Referat: "Referat 41 – Liegenschaften",
			Akten:   []string{"zdA:Konversion ehemalige Kaserne {ort}"},
			V:       [2]int{1, 1}, Ablauf: "intern", Partner: "intern",
			Vorgaenge: []string{"{betreff}"},
			Faelle: []map[string]string{
				{"betreff": "Abschluss des Konversionsverfahrens",
					"anlass":    "Die letzten Teilflächen der ehemaligen Kaserne sind veräußert.",
					"sachstand": "Alle Kaufpreise sind gezahlt, die Investitionsverpflichtungen erfüllt. Die Altlastensanierung ist abgeschlossen und durch die Bodenschutzbehörde bestätigt.",
					"vorschlag": "Die Aktenplanposition wird geschlossen; künftige Einzelfragen werden unter 411 geführt."},
			},
		}},
	)
	return tenantDef{
		Code: "TFM", Name: "Thüringer Finanzministerium",
		Strasse: "Ludwig-Erhard-Ring 7", PLZ: "99099", Domain: "tfm.thueringen.de", Telefon: "0361 57361",
		RechtsbehelfKind: "klage",
		Users: []userDef{
			{Login: "anna.schmidt", Name: "Anna Schmidt", Frau: true, Funktion: "Registratur", Roles: rAdminReg},
			{Login: "jens.fischer", Name: "Jens Fischer", Funktion: "Referent", Roles: rSB},
			{Login: "claudia.weber", Name: "Claudia Weber", Frau: true, Funktion: "Sachbearbeiterin", Roles: rSB},
			{Login: "joerg.koehler", Name: "Jörg Köhler", Funktion: "Sachbearbeiter", Roles: rSB},
			{Login: "matthias.krause", Name: "Matthias Krause", Funktion: "Referatsleiter", Roles: rLeitung},
			{Login: "petra.zimmermann", Name: "Petra Zimmermann", Frau: true, Funktion: "Beauftragte für den Haushalt", Roles: rAudit},
		},
		Plan: plan,
	}
}

// ---------------------------------------------------------------------------
// Thüringer Ministerium für Bildung, Jugend und Sport

func tmbjs() tenantDef {
	plan := allgemein("Referat 11 – Organisation, Digitalisierung", "Referat 12 – Personal")
	foerderMeta := func(k *kontext) records.Metadata {
		return records.Metadata{"foerdersumme": num(k, "betrag"), "gesamtkosten": num(k, "gesamtkosten"), "antragsteller": k.get("p_name"), "landkreis": k.get("landkreis"), "bewilligt": nil}
	}
	plan = append(plan,
		posDef{Kz: "2", Titel: "Schulen"},
		posDef{Kz: "21", Parent: "2", Titel: "Schulnetz und Schulentwicklung"},
		posDef{Kz: "211", Parent: "21", Titel: "Schulnetzplanung", Frist: 30, Archiv: records.ArchivArchivieren, Thema: &thema{
			Referat: "Referat 21 – Schulentwicklung",
			Akten:   []string{"Schulnetzplan {schultraeger} 2026–2031", "Schulnetzplan {schultraeger} 2026–2031"},
			V:       [2]int{1, 2}, Ablauf: "aufsicht", Partner: "schultraeger", KeepAll: true,
			Vorgaenge: []string{"Fortschreibung des Schulnetzplans {schultraeger}", "Zusammenlegung von Grundschulstandorten im Gebiet {schultraeger}"},
			Vars: map[string][]string{
				"bewertung": {"Der Schulnetzplan ist schlüssig begründet und berücksichtigt die Schülerzahlprognose des Landesamts für Statistik. Einer Genehmigung stehen keine Bedenken entgegen; zu klären ist die Finanzierung."},
				"vorort":    {"Die Standorte wurden gemeinsam mit dem Schulträger und dem Schulamt besichtigt. Die Raumkapazitäten reichen bei den prognostizierten Schülerzahlen bis zum Schuljahr 2030/31 aus."},
				"bericht": {"Der Kreistag hat die Fortschreibung des Schulnetzplans beschlossen. Aufgrund sinkender Schülerzahlen sollen zwei Grundschulen zu einem Standort zusammengelegt werden; die Regelschulen bleiben erhalten. Die Schulwege verlängern sich für 46 Kinder um durchschnittlich 12 Minuten.",
					"Der Schulnetzplan sieht am Standort {schule} einen Anbau für acht Klassenräume vor, weil die Schülerzahlen im Umland stark steigen. Die Finanzierung soll über das Schulbauprogramm des Landes erfolgen."},
			},
		}},
		posDef{Kz: "22", Parent: "2", Titel: "Schulbau"},
		posDef{Kz: "221", Parent: "22", Titel: "Schulbauförderung", Frist: 10, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: "Referat 22 – Schulbau und Schulausstattung",
			Akten:   []string{"zdA:Schulbauförderung {schule}", "Schulbauförderung {schule}", "Schulbauförderung {schule}", "Schulbauförderung {schule}"},
			V:       [2]int{1, 1}, Ablauf: "foerderung", Partner: "schultraeger", KeepAll: true,
			Vorgaenge: []string{"Antrag des Schulträgers: {massnahme}"},
			Meta: func(k *kontext) records.Metadata {
				m := foerderMeta(k)
				m["schule"] = k.get("schule")
				return m
			},
			Vars: map[string][]string{
				"massnahme":   {"Sanierung der Sanitäranlagen – {schule}", "Neubau einer Zweifeldsporthalle – {schule}", "Brandschutzsanierung und Einbau eines Aufzugs – {schule}", "strukturierte Verkabelung und WLAN – {schule}"},
				"programm":    {"Schulinvestitionsprogramm des Freistaats Thüringen", "Landesprogramm Schulbausanierung"},
				"epl":         {"04"},
				"gremium":     {"Kreistags", "Kreisausschusses"},
				"begruendung": {"die Anlagen nicht mehr den hygienischen und baurechtlichen Anforderungen entsprechen", "der Sportunterricht derzeit in einer 8 km entfernten Halle stattfinden muss", "die Brandschutzbegehung erhebliche Mängel ergeben hat und die Schule sonst nicht barrierefrei ist"},
			},
		}},
		posDef{Kz: "23", Parent: "2", Titel: "Schulaufsicht"},
		posDef{Kz: "231", Parent: "23", Titel: "Eingaben und Beschwerden", Frist: 5, Archiv: records.ArchivVernichten, Thema: &thema{
			Referat: "Referat 23 – Schulaufsicht",
			Akten:   []string{"Eingaben {jahr} – {schulamt_allein}", "Eingaben {jahr} – {schulamt_allein}", "Eingaben {jahr} – {schulamt_allein}"},
			V:       [2]int{2, 4}, Ablauf: "eingabe", Partner: "person",
			Vorgaenge: []string{"Eingabe {person}: {anliegen}"},
			Faelle: []map[string]string{
				{"anliegen": "Unterrichtsausfall – {schule}",
					"anliegen_text": "an der Schule meines Kindes ({schule}) seit Wochen Unterricht in Mathematik und Physik ausfällt. Die Kinder verlieren den Anschluss, und die Schule vertröstet uns Eltern.",
					"stellungnahme": "Das Schulamt hat eine Lehrkraft mit zehn Stunden an die Schule abgeordnet; der Mathematikunterricht findet seit dieser Woche wieder vollständig statt. Für Physik ist zum Halbjahr eine Einstellung vorgesehen."},
				{"anliegen": "Schülerbeförderung – {schule}",
					"anliegen_text": "der Schulbus zur Schule meiner Tochter ({schule}) so früh fährt, dass meine Tochter täglich 50 Minuten vor Unterrichtsbeginn an der Schule wartet.",
					"stellungnahme": "Die Schülerbeförderung ist Aufgabe des Landkreises. Er hat zugesagt, mit dem Verkehrsunternehmen eine spätere Fahrt zu prüfen; bis dahin ist die Frühaufsicht an der Schule sichergestellt."},
				{"anliegen": "Notengebung im Fach Deutsch",
					"anliegen_text": "die Halbjahresnote meines Sohnes im Fach Deutsch aus meiner Sicht nicht nachvollziehbar ist und die Lehrerin ein Gespräch abgelehnt hat.",
					"stellungnahme": "Die Schulleitung hat die Notenfindung geprüft; sie entspricht den Vorgaben der Thüringer Schulordnung. Ein Gespräch mit der Fachlehrerin und der Schulleitung wird Ihnen angeboten."},
				{"anliegen": "Schließung der Grundschule in {ort}",
					"anliegen_text": "die Grundschule in unserem Ort nach dem neuen Schulnetzplan geschlossen werden soll. Für unser Dorf wäre das ein großer Verlust.",
					"stellungnahme": "Die Schulnetzplanung ist Aufgabe des Schulträgers; das Ministerium prüft den Plan im Genehmigungsverfahren. Ihre Hinweise haben wir an den Schulträger weitergegeben und werden sie bei der Prüfung berücksichtigen."},
			},
		}},
		posDef{Kz: "3", Titel: "Lehrkräfte"},
		posDef{Kz: "31", Parent: "3", Titel: "Lehrkräftegewinnung"},
		posDef{Kz: "311", Parent: "31", Titel: "Einstellungsverfahren", Frist: 5, Archiv: records.ArchivVernichten, Thema: &thema{
			Referat: "Referat 31 – Lehrkräftegewinnung",
			Akten:   []string{"Einstellungsverfahren Lehrkräfte zum 01.02.2026", "Einstellungsverfahren Lehrkräfte zum 01.08.2026"},
			V:       [2]int{3, 4}, Ablauf: "bewerbung", Partner: "person",
			Vorgaenge: []string{"Bewerbung {person} – Lehramt {fach}"},
			Vars: map[string][]string{
				"stelle":         {"Lehrkraft für {fach} – {schule}", "Lehrkraft für {fach} ({schulamt_allein})"},
				"bewerbung_text": {"Ich habe das Lehramt für Gymnasien mit den Fächern {fach} an der Friedrich-Schiller-Universität Jena studiert und den Vorbereitungsdienst im Sommer mit der Note gut abgeschlossen.", "Nach dem Studium in Erfurt und dem Referendariat in Sachsen möchte ich in meine Heimat zurückkehren und an einer Regelschule unterrichten."},
			},
			Faelle: auswahlFaelle,
		}},
		posDef{Kz: "32", Parent: "3", Titel: "Fachkräfteinitiative"},
		posDef{Kz: "321", Parent: "32", Titel: "Seiteneinstieg und berufsbegleitende Qualifizierung", Frist: 10, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: "Referat 32 – Fachkräfteinitiative Lehrkräfte",
			Akten:   []string{"Fachkräfteinitiative: Qualifizierungskurs {nr} ({fach})", "Fachkräfteinitiative: Qualifizierungskurs {nr} ({fach})"},
			Beschr:  "Vergabeverfahren für {plaetze} Plätze im berufsbegleitenden Qualifizierungskurs; Auswahl nach veröffentlichten Kriterien, Nachrücken nach Rangliste.",
			V:       [2]int{4, 6}, Ablauf: "vergabe", Partner: "person",
			Vorgaenge: []string{"Bewerbung {person}"},
			Meta: func(k *kontext) records.Metadata {
				return records.Metadata{"kurs": k.get("nr"), "plaetze": atof(k.get("plaetze")), "fach": k.get("fach"), "bewerbungsschluss": "2026-04-30"}
			},
			Vars: map[string][]string{
				"fach":    {"Mathematik", "Physik", "Chemie", "Informatik", "Biologie"},
				"studium": {"{fach}", "{fach}", "Ingenieurwissenschaften", "Wirtschaftsmathematik", "Elektrotechnik"},
			},
		}},
		posDef{Kz: "4", Titel: "Kindertagesbetreuung"},
		posDef{Kz: "41", Parent: "4", Titel: "Kita-Förderung"},
		posDef{Kz: "411", Parent: "41", Titel: "Investitionsprogramm Kinderbetreuung", Frist: 10, Archiv: records.ArchivArchivieren, Thema: &thema{
			Referat: "Referat 41 – Kindertagesbetreuung",
			Akten: []string{"zdA:Antrag auf Förderung {kita_art} {ort}", "Antrag auf Förderung {kita_art} {ort}", "Antrag auf Förderung {kita_art} {ort}",
				"Antrag auf Förderung {kita_art} {ort}", "Antrag auf Förderung {kita_art} {ort}"},
			Faelle: []map[string]string{
				{"kita_art": "Kita-Neubau", "massnahme": "Neubau der {kita} mit 90 Plätzen"},
				{"kita_art": "Kita-Erweiterung", "massnahme": "Erweiterung der {kita} um eine Krippengruppe"},
				{"kita_art": "Kita-Sanierung", "massnahme": "energetische Sanierung der {kita}"},
			},
			V: [2]int{1, 1}, Ablauf: "foerderung", Partner: "kommune", KeepAll: true,
			Vorgaenge: []string{"Förderantrag der Stadt {ort}: {massnahme}"},
			Meta: func(k *kontext) records.Metadata {
				m := foerderMeta(k)
				m["kita"] = k.get("kita")
				m["neue_plaetze"] = float64(20 + 5*k.r.IntN(12))
				return m
			},
			Vars: map[string][]string{
				"programm":    {"Landesinvestitionsprogramm Kinderbetreuung"},
				"epl":         {"04"},
				"gremium":     {"Stadtrats", "Hauptausschusses"},
				"begruendung": {"die Warteliste für Krippenplätze auf über 40 Kinder angewachsen ist", "das Gebäude aus den 1970er Jahren stammt und nicht mehr wirtschaftlich zu sanieren ist", "durch ein neues Wohngebiet zusätzliche Familien mit kleinen Kindern zuziehen"},
			},
		}},
		posDef{Kz: "42", Parent: "4", Titel: "Aufsicht über Kindertageseinrichtungen"},
		posDef{Kz: "421", Parent: "42", Titel: "Betriebserlaubnisse", Frist: 10, Archiv: records.ArchivVernichten, Thema: &thema{
			Referat: "Referat 42 – Aufsicht Kindertageseinrichtungen",
			Akten:   []string{"Betriebserlaubnis {kita}", "Betriebserlaubnis {kita}", "Betriebserlaubnis {kita}"},
			V:       [2]int{1, 2}, Ablauf: "aufsicht", Partner: "firma", KeepAll: true,
			Vorgaenge: []string{"Änderung der Betriebserlaubnis: Erhöhung der Platzzahl – {kita}", "Meldung nach § 47 SGB VIII: Personalausfall – {kita}"},
			Vars: map[string][]string{
				"bewertung":  {"Die Maßnahmen des Trägers sind angemessen; die Aufsicht über die Kinder war jederzeit gewährleistet. Ein Besuch in der Einrichtung wird gleichwohl empfohlen."},
				"vorort":     {"Die Räume, die Außenanlage und die Dienstpläne wurden besichtigt bzw. eingesehen. Der Personalschlüssel nach dem Thüringer Kindergartengesetz ist eingehalten; die Hygienepläne sind aktuell."},
				"p_name":     {"{kitatraeger}"},
				"p_adr":      {"{kitatraeger}\nGeschäftsführung\n{strasse}\n{plz} {ort}"},
				"p_sign":     {"{person}\nGeschäftsführung {kitatraeger}"},
				"p_kurz":     {"{ort}"},
				"p_briefort": {"{ort}"},
				"bericht": {"Die Einrichtung betreut derzeit {anzahl} Kinder in fünf Gruppen. Der Träger beantragt die Erhöhung der Platzzahl um 12 Plätze; die Raumgrößen und der Personalschlüssel nach dem Thüringer Kindergartengesetz sind eingehalten.",
					"Wegen einer Grippewelle fielen in der vergangenen Woche sechs von 14 pädagogischen Fachkräften aus. Die Öffnungszeiten wurden vorübergehend auf 7:00 bis 15:00 Uhr verkürzt; die Eltern wurden informiert."},
			},
		}},
		posDef{Kz: "5", Titel: "Jugend und Sport"},
		posDef{Kz: "51", Parent: "5", Titel: "Sportförderung"},
		posDef{Kz: "511", Parent: "51", Titel: "Sportstättenförderung", Frist: 10, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: "Referat 51 – Sport",
			Akten:   []string{"Sportstättenförderung {ort}", "Sportstättenförderung {ort}"},
			V:       [2]int{1, 1}, Ablauf: "foerderung", Partner: "kommune", KeepAll: true,
			Vorgaenge: []string{"Förderantrag: {massnahme}"},
			Meta:      foerderMeta,
			Vars: map[string][]string{
				"massnahme":   {"Umbau des Sportplatzes {ort} zum Kunstrasenplatz", "Sanierung der Schwimmhalle {ort}", "Neubau eines Funktionsgebäudes am Sportplatz {ort}"},
				"programm":    {"Landesprogramm Sportstättenförderung"},
				"epl":         {"04"},
				"gremium":     {"Stadtrats", "Gemeinderats"},
				"begruendung": {"der Platz von drei Vereinen mit über 400 Mitgliedern genutzt wird und im Winter nicht bespielbar ist", "die Technik über 30 Jahre alt ist und die Schließung droht"},
			},
		}},
	)
	return tenantDef{
		Code: "TMBJS", Name: "Thüringer Ministerium für Bildung, Jugend und Sport",
		Strasse: "Werner-Seelenbinder-Straße 7", PLZ: "99096", Domain: "tmbjs.thueringen.de", Telefon: "0361 57341",
		RechtsbehelfKind: "klage",
		Users: []userDef{
			{Login: "daniela.schulz", Name: "Daniela Schulz", Frau: true, Funktion: "Registratur", Roles: rAdminReg},
			{Login: "stefan.meyer", Name: "Stefan Meyer", Funktion: "Referent", Roles: rSB},
			{Login: "julia.becker", Name: "Julia Becker", Frau: true, Funktion: "Referentin", Roles: rSB},
			{Login: "lena.sauerbrey", Name: "Lena Sauerbrey", Frau: true, Funktion: "Sachbearbeiterin", Roles: rSB},
			{Login: "andreas.neumann", Name: "Andreas Neumann", Funktion: "Referatsleiter", Roles: rLeitung},
			{Login: "monika.schwarz", Name: "Monika Schwarz", Frau: true, Funktion: "Datenschutzbeauftragte", Roles: rAudit},
		},
		Plan: plan,
	}
}

// ---------------------------------------------------------------------------
// Stadtverwaltung Erfurt

func erf() tenantDef {
	plan := allgemein("Personal- und Organisationsamt", "Personal- und Organisationsamt")
	plan = append(plan,
		posDef{Kz: "2", Titel: "Bauordnung"},
		posDef{Kz: "21", Parent: "2", Titel: "Baugenehmigungsverfahren"},
		posDef{Kz: "211", Parent: "21", Titel: "Bauanträge", Frist: 30, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: "Bauamt – Abteilung Bauordnung",
			Akten: []string{"zdA:Bauantrag Flurstück {flst}, Gemarkung {gemarkung}", "Bauantrag Flurstück {flst}, Gemarkung {gemarkung}", "Bauantrag Flurstück {flst}, Gemarkung {gemarkung}",
				"Bauantrag Flurstück {flst}, Gemarkung {gemarkung}", "Bauantrag Flurstück {flst}, Gemarkung {gemarkung}", "Bauantrag Flurstück {flst}, Gemarkung {gemarkung}",
				"Bauantrag Flurstück {flst}, Gemarkung {gemarkung}", "Bauantrag Flurstück {flst}, Gemarkung {gemarkung}"},
			V: [2]int{1, 1}, Ablauf: "bau", Partner: "person", KeepAll: true,
			Vorgaenge: []string{"Bauantrag: {vorhaben}"},
			Meta: func(k *kontext) records.Metadata {
				return records.Metadata{"bauherr": k.get("person"), "gemarkung": k.get("gemarkung"), "flur": atof(k.get("flur")), "flurstueck": k.get("flst"),
					"vorhaben": k.get("vorhaben"), "verfahren": pick(k.r, []string{"vereinfachtes Genehmigungsverfahren", "Baugenehmigungsverfahren"}), "baukosten": num(k, "gesamtkosten")}
			},
			Vars: map[string][]string{
				"vorhaben": {"Neubau eines Einfamilienhauses mit Carport", "Errichtung eines Mehrfamilienhauses mit 8 Wohneinheiten", "Anbau eines Wintergartens", "Dachgeschossausbau mit zwei Gauben",
					"Umnutzung einer Ladenfläche in ein Café", "Errichtung einer Doppelhaushälfte", "Neubau einer Lagerhalle"},
				"wohnort":           {"Erfurt"},
				"entwurfsverfasser": {"das Architekturbüro Döring, Weimar", "das Ingenieurbüro Wünsch & Partner mbB, Erfurt", "die Eichsfelder Planungsgesellschaft mbH", "Dipl.-Ing. (FH) Architektin Antje Büttner, Erfurt"},
				"bplan":             {"Nr. NOR 512 „Wohngebiet Am Roten Berg“", "Nr. GIS 704 „Am Kirchberg“", "Nr. HOC 188 „Hochheimer Straße“", "Nr. MEL 021 „Melchendorfer Feld“"},
			},
		}},
		posDef{Kz: "22", Parent: "2", Titel: "Bauaufsicht"},
		posDef{Kz: "221", Parent: "22", Titel: "Bauaufsichtliche Verfahren", Frist: 10, Archiv: records.ArchivVernichten, Thema: &thema{
			Referat: "Bauamt – Abteilung Bauaufsicht",
			Akten:   []string{"Bauaufsicht {erf_strasse}", "Bauaufsicht {erf_strasse}", "zdA:Bauaufsicht {erf_strasse}"},
			V:       [2]int{1, 2}, Ablauf: "eingabe", Partner: "person",
			Vars:      map[string][]string{"wohnort": {"Erfurt"}},
			Vorgaenge: []string{"Hinweis {person}: {anliegen}"},
			Faelle: []map[string]string{
				{"anliegen": "Ungenehmigter Anbau auf dem Nachbargrundstück {erf_strasse}",
					"anliegen_text": "auf dem Nachbargrundstück {erf_strasse} seit einigen Wochen ein Anbau direkt an der Grundstücksgrenze errichtet wird. Ich bezweifle, dass dafür eine Genehmigung vorliegt; mein Garten liegt seitdem im Schatten.",
					"stellungnahme": "Die Bauaufsicht hat das Grundstück besichtigt. Für den Anbau liegt keine Baugenehmigung vor; die Bauarbeiten wurden eingestellt. Der Eigentümer wurde aufgefordert, einen Bauantrag einzureichen. Über das weitere Verfahren entscheiden wir nach dessen Prüfung."},
				{"anliegen": "Baufälliges Gebäude {erf_strasse}",
					"anliegen_text": "von dem leerstehenden Gebäude {erf_strasse} immer wieder Dachziegel auf den Gehweg fallen. Ich habe Angst, dass Kinder auf dem Schulweg verletzt werden.",
					"stellungnahme": "Die Bauaufsicht hat eine Gefahr festgestellt und den Gehweg absperren lassen. Gegenüber dem Eigentümer wurde die Sicherung des Daches angeordnet; kommt er dem nicht fristgerecht nach, wird die Sicherung im Wege der Ersatzvornahme durchgeführt."},
			},
		}},
		posDef{Kz: "3", Titel: "Ordnungsamt"},
		posDef{Kz: "31", Parent: "3", Titel: "Sondernutzungen und Gewerbe"},
		posDef{Kz: "311", Parent: "31", Titel: "Sondernutzungserlaubnisse", Frist: 5, Archiv: records.ArchivVernichten, Thema: &thema{
			Referat: "Bürgeramt – Abteilung Gewerbe und Sondernutzungen",
			Akten:   []string{"zdA:Sondernutzungen 2025 – Altstadt", "Sondernutzungen 2026 – Altstadt", "Sondernutzungen 2026 – Innenstadt Nord"},
			V:       [2]int{4, 6}, Ablauf: "erlaubnis", Partner: "firma",
			Vorgaenge: []string{"Sondernutzung {erlaubnis_kurz}: {firma}, {erf_strasse}"},
			VMeta: func(k *kontext) records.Metadata {
				return records.Metadata{"kassenzeichen": k.get("kassenzeichen"), "flaeche_qm": float64(6 + k.r.IntN(40)), "onlinedienst": chance(k.r, 0.6)}
			},
			Vars: map[string][]string{"firmenort": {"Erfurt"}, "erlaubnisart": {"Sondernutzungserlaubnis"}},
			Faelle: []map[string]string{
				{"erlaubnis_kurz": "Freisitz", "erlaubnis_detail": "einen Freisitz mit sechs Tischen und 24 Stühlen vor dem Geschäft {erf_strasse}"},
				{"erlaubnis_kurz": "Warenauslage", "erlaubnis_detail": "zwei Warenständer und einen Kundenstopper vor dem Geschäft {erf_strasse}"},
				{"erlaubnis_kurz": "Baugerüst", "erlaubnis_detail": "ein Fassadengerüst auf dem Gehweg vor dem Gebäude {erf_strasse}"},
				{"erlaubnis_kurz": "Verkaufsstand", "erlaubnis_detail": "einen Verkaufsstand auf dem Wochenmarkt am Domplatz (dienstags und freitags)"},
				{"erlaubnis_kurz": "Werbeaufsteller", "erlaubnis_detail": "einen Werbeaufsteller an der Ecke {erf_strasse}"},
			},
		}},
		posDef{Kz: "33", Parent: "3", Titel: "Gebühren und Widerspruchsverfahren"},
		posDef{Kz: "331", Parent: "33", Titel: "Widersprüche gegen Gebührenbescheide", Frist: 10, Archiv: records.ArchivBewerten, Thema: &thema{
			Referat: "Rechtsamt – Widerspruchsstelle",
			Akten:   []string{"zdA:Widersprüche Abfallgebühren 2025", "Widersprüche Abfallgebühren 2026", "Widersprüche Verwaltungsgebühren 2026"},
			V:       [2]int{4, 6}, Ablauf: "widerspruch", Partner: "person",
			Vars:      map[string][]string{"wohnort": {"Erfurt"}},
			Vorgaenge: []string{"Widerspruch {person} gegen den {bescheidart} vom {datum}", "Widerspruch gegen Gebührenbescheid vom {datum} ({person})"},
			VMeta: func(k *kontext) records.Metadata {
				return records.Metadata{"kassenzeichen": k.get("kassenzeichen"), "widerspruchsfuehrer": k.get("person"), "betrag": num(k, "gebuehr"), "aussetzung_vollziehung": true}
			},
			Faelle: []map[string]string{
				{"bescheidart": "Gebührenbescheid über Abfallentsorgungsgebühren", "grund": "Das Grundstück ist seit dem Frühjahr unbewohnt; die Restmülltonne wurde bereits im März abgemeldet."},
				{"bescheidart": "Gebührenbescheid über Abfallentsorgungsgebühren", "grund": "Der Bescheid legt vier Personen im Haushalt zugrunde, obwohl seit Juli nur noch zwei Personen dort gemeldet sind."},
				{"bescheidart": "Gebührenbescheid für eine Abschleppmaßnahme", "grund": "Das Halteverbotsschild wurde erst nach dem Abstellen meines Fahrzeugs aufgestellt; die Vorlaufzeit von drei Tagen war nicht eingehalten."},
				{"bescheidart": "Gebührenbescheid für die Ausstellung eines Bewohnerparkausweises", "grund": "Die Gebühr wurde zweimal erhoben, obwohl ich nur einen Ausweis beantragt und erhalten habe."},
				{"bescheidart": "Gebührenbescheid für Straßenreinigung", "grund": "Die Straße vor meinem Grundstück wird tatsächlich nicht gereinigt; ich kehre selbst."},
			},
		}},
		posDef{Kz: "4", Titel: "Bürgerservice"},
		posDef{Kz: "41", Parent: "4", Titel: "Bürgeranliegen"},
		posDef{Kz: "411", Parent: "41", Titel: "Anregungen und Beschwerden", Frist: 5, Archiv: records.ArchivVernichten, Thema: &thema{
			Referat: "Bürgerservice",
			Akten:   []string{"Anregungen und Beschwerden 2026", "Anregungen und Beschwerden 2026 – Bürgerämter"},
			V:       [2]int{3, 4}, Ablauf: "eingabe", Partner: "person",
			Vars:      map[string][]string{"wohnort": {"Erfurt"}},
			Vorgaenge: []string{"Beschwerde {person}: {anliegen}", "Anregung {person}: {anliegen}"},
			VMeta: func(k *kontext) records.Metadata {
				return records.Metadata{"eingangskanal": pick(k.r, []string{"Post", "E-Mail", "Onlinedienst", "Bürgertelefon 115"})}
			},
			Faelle: []map[string]string{
				{"anliegen": "Wartezeiten im Bürgeramt",
					"anliegen_text": "ich für die Verlängerung meines Personalausweises erst in sieben Wochen einen Termin im Bürgeramt bekomme. Ohne Termin wird man nicht bedient.",
					"stellungnahme": "Wegen mehrerer Langzeiterkrankungen waren die Termine zuletzt knapp. Seit Monatsbeginn sind zwei zusätzliche Kräfte im Einsatz, und täglich werden 40 Termine kurzfristig freigeschaltet. Für dringende Fälle gibt es eine Notfallsprechstunde ohne Termin."},
				{"anliegen": "Defekte Straßenbeleuchtung {erf_strasse}",
					"anliegen_text": "in der {erf_strasse} seit Wochen drei Straßenlaternen ausgefallen sind. Abends ist der Weg zur Straßenbahnhaltestelle stockdunkel.",
					"stellungnahme": "Die Stadtwerke haben die Leuchten inzwischen repariert. Ursache war ein Kabelschaden, für dessen Behebung eine Tiefbaufirma beauftragt werden musste."},
				{"anliegen": "Mehr Sitzbänke am Petersberg",
					"anliegen_text": "es auf dem Weg zum Petersberg kaum Sitzgelegenheiten gibt. Für ältere Menschen ist der Aufstieg ohne Pause kaum zu schaffen.",
					"stellungnahme": "Das Garten- und Friedhofsamt wird im Frühjahr vier zusätzliche Bänke entlang des Weges aufstellen. Vielen Dank für die Anregung."},
				{"anliegen": "Online-Terminbuchung funktioniert nicht",
					"anliegen_text": "die Online-Terminbuchung für das Bürgeramt bei mir immer mit einer Fehlermeldung abbricht, sobald ich meine Daten eingebe.",
					"stellungnahme": "Der Fehler trat bei Namen mit Umlauten auf und ist seit dem letzten Update behoben. Wir entschuldigen uns für die Unannehmlichkeiten."},
			},
		}},
		posDef{Kz: "5", Titel: "Standesamt"},
		posDef{Kz: "51", Parent: "5", Titel: "Personenstandswesen"},
		posDef{Kz: "511", Parent: "51", Titel: "Eheschließungen", Frist: 80, Archiv: records.ArchivArchivieren, Thema: &thema{
			Referat: "Standesamt",
			Akten:   []string{"zdA:Eheschließungen IV. Quartal 2025", "Eheschließungen I. Quartal 2026", "Eheschließungen II. Quartal 2026", "Eheschließungen III. Quartal 2026"},
			V:       [2]int{3, 4}, Ablauf: "standesamt", Partner: "person",
			Vorgaenge: []string{"Anmeldung der Eheschließung {person} und {zweite_person}"},
			Vars: map[string][]string{
				"wohnort": {"Erfurt"},
				"gebuehr": {"66,00\u00a0€", "88,00\u00a0€", "120,00\u00a0€"},
				"trauort": {"Trauzimmer im Rathaus am Fischmarkt", "Festsaal des Rathauses", "Trauzimmer in der Egapark-Orangerie", "Kaisersaal"},
				"ehename": {"nicht bestimmen; wir behalten unsere bisherigen Namen", "bestimmen: {nachname}", "bestimmen: {zweite_nachname}"},
			},
		}},
	)
	return tenantDef{
		Code: "ERF", Name: "Stadtverwaltung Erfurt",
		Strasse: "Fischmarkt 1", PLZ: "99084", Domain: "erfurt.de", Telefon: "0361 655",
		RechtsbehelfKind: "widerspruch",
		Users: []userDef{
			{Login: "uwe.koch", Name: "Uwe Koch", Funktion: "Zentrale Registratur", Roles: rAdminReg},
			{Login: "sandra.kaiser", Name: "Sandra Kaiser", Frau: true, Funktion: "Sachbearbeiterin", Roles: rSB},
			{Login: "marco.wolf", Name: "Marco Wolf", Funktion: "Sachbearbeiter", Roles: rSB},
			{Login: "ines.graefe", Name: "Ines Gräfe", Frau: true, Funktion: "Sachbearbeiterin", Roles: rSB},
			{Login: "birgit.braun", Name: "Birgit Braun", Frau: true, Funktion: "Amtsleiterin", Roles: rLeitung},
			{Login: "heike.lange", Name: "Heike Lange", Frau: true, Funktion: "Rechnungsprüfungsamt", Roles: rAudit},
		},
		Plan: plan,
	}
}
