package demo

import "math/rand/v2"

// art is the kind of a document; it decides layout, format and direction.
type art int

const (
	briefEin   art = iota // letter from the counterpart
	briefAus              // letter to the counterpart
	bescheid              // formal decision with Rechtsbehelfsbelehrung
	vermerk               // internal note
	protokoll             // minutes of a meeting
	verfuegung            // instruction in the Geschäftsgang
	mailEin               // e-mail from the counterpart
	mailAus               // e-mail to the counterpart
	mailIntern            // e-mail between colleagues
)

const (
	fmtPDF = "pdf"
	fmtTXT = "txt"
	fmtEML = "eml"
)

func (a art) incoming() bool { return a == briefEin || a == mailEin }
func (a art) outgoing() bool { return a == briefAus || a == bescheid || a == mailAus }

func (a art) format(r *rand.Rand) string {
	switch a {
	case mailEin, mailAus, mailIntern:
		return fmtEML
	case bescheid:
		return fmtPDF
	case verfuegung:
		return fmtTXT
	}
	p := map[art]float64{briefEin: 0.55, briefAus: 0.8, vermerk: 0.45, protokoll: 0.6}[a]
	if chance(r, p) {
		return fmtPDF
	}
	return fmtTXT
}

// draftChance is how often a document of this kind is filed first as a
// draft and then again as the version that went out.
func (a art) draftChance() float64 {
	switch a {
	case bescheid:
		return 0.5
	case vermerk:
		return 0.25
	case protokoll:
		return 0.3
	case briefAus:
		return 0.2
	}
	return 0
}

// finalChance is how often the latest version is marked final.
func (a art) finalChance() float64 {
	switch a {
	case bescheid:
		return 0.85
	case briefAus, protokoll:
		return 0.5
	case vermerk, verfuegung:
		return 0.3
	case briefEin:
		return 0.25
	}
	return 0
}

// schritt is one document in the course of a Vorgang. Text holds paragraph
// templates; a paragraph starting with "# " is a heading, lines inside a
// paragraph stay lines.
type schritt struct {
	Typ     string // one of records.Dokumenttypen
	Art     art
	Datei   string // file name stem (template), date and extension follow
	Betreff string
	Text    []string
	Tage    [2]int // working distance to the previous document (min, max days)
	Klage   bool   // Rechtsbehelfsbelehrung names the Klage (Widerspruchsbescheid)
	// Opt marks steps that a Vorgang may skip; steps with the same number
	// are skipped together (a query and its answer).
	Opt int
	// Kopf, Datum and Teilnehmende replace the defaults of Vermerk and
	// Protokoll ("Vermerk", the document's date, the unit's people).
	Kopf, Datum, Ort, Teilnehmende string
	// Antwort turns an internal mail around: the colleague answers.
	Antwort bool
}

// ablaeufe are the courses a Vorgang takes; a Vorgang that is still open
// has done only the first steps.
var ablaeufe = map[string][]schritt{
	"foerderung": {
		{Typ: "Antrag", Art: briefEin, Datei: "Antrag_{p_kurz}", Betreff: "Antrag auf Gewährung einer Zuwendung – {massnahme}", Text: []string{
			"hiermit beantragen wir für das Vorhaben {massnahme} eine Zuwendung aus dem {programm}.",
			"Die förderfähigen Gesamtkosten betragen nach der beigefügten Kostenberechnung {gesamtkosten}. Beantragt wird ein Zuschuss in Höhe von {betrag}. Der Eigenanteil ist im Haushalt {jahr} veranschlagt und durch Beschluss des {gremium} vom {datum} gesichert.",
			"Das Vorhaben ist dringend erforderlich, weil {begruendung}. Mit der Maßnahme wurde noch nicht begonnen; die Umsetzung ist ab dem {quartal} vorgesehen.",
			"Dem Antrag liegen bei:\n– Kostenberechnung nach DIN 276\n– Finanzierungsplan\n– Lageplan und Bauzeitenplan\n– Beschluss des {gremium}",
			"Für Rückfragen steht Ihnen {kontakt} unter der Telefonnummer {telefon} gern zur Verfügung.",
		}},
		{Typ: "Ausgang", Art: briefAus, Datei: "Eingangsbestätigung_{p_kurz}", Betreff: "Eingangsbestätigung zu Ihrem Antrag vom {d_erst}", Tage: [2]int{2, 9}, Text: []string{
			"wir bestätigen den Eingang Ihres Antrags vom {d_erst} auf Gewährung einer Zuwendung für das Vorhaben {massnahme}. Er ist am {d_eingang} bei uns eingegangen und wird unter dem oben genannten Aktenzeichen bearbeitet.",
			"Bitte beachten Sie, dass mit der Maßnahme vor Bekanntgabe des Zuwendungsbescheids nicht begonnen werden darf, sofern nicht ein vorzeitiger Maßnahmebeginn schriftlich zugelassen wurde (VV Nr. 1.3 zu § 44 ThürLHO). Ein Rechtsanspruch auf die Zuwendung besteht nicht; die Bewilligung erfolgt im Rahmen der verfügbaren Haushaltsmittel.",
			"Bitte geben Sie bei Rückfragen stets das Aktenzeichen an.",
		}},
		{Typ: "E-Mail", Art: mailAus, Opt: 1, Datei: "Mail_Nachforderung_{p_kurz}", Betreff: "Nachforderung von Unterlagen – {az}", Tage: [2]int{4, 20}, Text: []string{
			"zu Ihrem Antrag vom {d_erst} benötigen wir für die abschließende Prüfung noch folgende Unterlagen:",
			"1. eine prüffähige Kostenberechnung mit Angabe der Kostengruppen,\n2. die Stellungnahme der Kommunalaufsicht zur Finanzierung des Eigenanteils,\n3. eine Erklärung zur Vorsteuerabzugsberechtigung.",
			"Bitte reichen Sie die Unterlagen bis zum {frist} nach. Sollten Sie dafür mehr Zeit brauchen, geben Sie mir bitte kurz Bescheid.",
		}},
		{Typ: "E-Mail", Art: mailEin, Opt: 1, Datei: "Mail_Nachreichung_{p_kurz}", Betreff: "AW: Nachforderung von Unterlagen – {az}", Tage: [2]int{3, 15}, Text: []string{
			"vielen Dank für Ihre Nachricht. Anbei übersenden wir die angeforderten Unterlagen: die überarbeitete Kostenberechnung, die Stellungnahme der Kommunalaufsicht sowie die Erklärung zur Vorsteuerabzugsberechtigung.",
			"Die Kosten haben sich nach Einholung aktueller Angebote geringfügig erhöht; am beantragten Zuschuss von {betrag} ändert das nichts.",
		}},
		{Typ: "Vermerk", Art: vermerk, Datei: "Prüfvermerk", Betreff: "Prüfvermerk: {massnahme}", Tage: [2]int{2, 14}, Text: []string{
			"# 1. Sachverhalt",
			"Antragsteller: {p_name}. Mit Schreiben vom {d_erst} wird für das Vorhaben {massnahme} eine Zuwendung aus dem {programm} in Höhe von {betrag} bei förderfähigen Gesamtkosten von {gesamtkosten} beantragt. Die Unterlagen liegen vollständig vor.",
			"# 2. Prüfung",
			"Der Antrag ist vollständig. Das Vorhaben entspricht dem Zuwendungszweck der Richtlinie; die Notwendigkeit ist nachvollziehbar begründet ({begruendung}). Die Finanzierung des Eigenanteils ist durch die Stellungnahme der Kommunalaufsicht belegt. Haushaltsmittel stehen bei Kapitel {kapitel} Titel {titel} zur Verfügung.",
			"# 3. Vorschlag",
			"Es wird vorgeschlagen, die Zuwendung als Projektförderung im Wege der Anteilfinanzierung in Höhe von {prozent} % der förderfähigen Ausgaben, höchstens {betrag}, zu bewilligen.",
		}},
		{Typ: "Bescheid", Art: bescheid, Datei: "Zuwendungsbescheid_{p_kurz}", Betreff: "Zuwendungsbescheid – {massnahme}", Tage: [2]int{5, 25}, Text: []string{
			"auf Ihren Antrag vom {d_erst} ergeht folgender",
			"# Zuwendungsbescheid",
			"1. Für das Vorhaben {massnahme} wird Ihnen für den Bewilligungszeitraum vom {heute} bis zum 31.12.2027 eine Zuwendung in Höhe von bis zu {betrag} bewilligt.\n2. Die Zuwendung wird als Projektförderung in Form der Anteilfinanzierung ({prozent} % der zuwendungsfähigen Ausgaben) als nicht rückzahlbarer Zuschuss gewährt.\n3. Die Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung (ANBest-P bzw. ANBest-Gk) sind Bestandteil dieses Bescheids.\n4. Der Verwendungsnachweis ist innerhalb von sechs Monaten nach Abschluss der Maßnahme vorzulegen.",
			"# Begründung",
			"Die Zuwendung beruht auf den §§ 23 und 44 der Thüringer Landeshaushaltsordnung (ThürLHO) in Verbindung mit der Richtlinie zum {programm}. Die Prüfung Ihres Antrags hat ergeben, dass das Vorhaben dem Zuwendungszweck entspricht und die Gesamtfinanzierung gesichert ist. Die Mittel werden auf Anforderung nach Baufortschritt ausgezahlt; bitte verwenden Sie dafür das beigefügte Formular.",
		}},
	},

	"widerspruch": {
		{Typ: "Eingang", Art: briefEin, Datei: "Widerspruch_{p_kurz}", Betreff: "Widerspruch gegen den {bescheidart} vom {datum}", Text: []string{
			"gegen den {bescheidart} vom {datum}, Kassenzeichen {kassenzeichen}, lege ich hiermit Widerspruch ein.",
			"Zur Begründung: {grund} Die festgesetzte Gebühr in Höhe von {gebuehr} ist daher aus meiner Sicht nicht gerechtfertigt.",
			"Ich bitte, den Bescheid zu überprüfen und aufzuheben, und beantrage bis zur Entscheidung die Aussetzung der Vollziehung nach § 80 Abs. 4 VwGO.",
		}},
		{Typ: "Ausgang", Art: briefAus, Opt: 1, Datei: "Eingangsbestätigung_{p_kurz}", Betreff: "Ihr Widerspruch vom {d_erst}", Tage: [2]int{2, 8}, Text: []string{
			"wir bestätigen den Eingang Ihres Widerspruchs vom {d_erst} gegen den {bescheidart} vom {datum} (Kassenzeichen {kassenzeichen}). Wir prüfen die Sach- und Rechtslage und teilen Ihnen das Ergebnis schriftlich mit.",
			"Ihrem Antrag auf Aussetzung der Vollziehung wird bis zur Entscheidung über den Widerspruch entsprochen. Säumniszuschläge werden für diese Zeit nicht erhoben.",
		}},
		{Typ: "Vermerk", Art: vermerk, Datei: "Vermerk_Abhilfeprüfung_{p_kurz}", Betreff: "Abhilfeprüfung Widerspruch {person}", Tage: [2]int{5, 20}, Text: []string{
			"# 1. Sachverhalt",
			"{person} hat mit Schreiben vom {d_erst}, eingegangen am {d_eingang}, Widerspruch gegen den {bescheidart} vom {datum} (Kassenzeichen {kassenzeichen}) eingelegt. Der Widerspruch ist form- und fristgerecht erhoben (§ 70 VwGO).",
			"# 2. Prüfung",
			"{wb_pruefung}",
			"# 3. Ergebnis",
			"{wb_ergebnis}",
		}},
		{Typ: "Bescheid", Art: bescheid, Datei: "{wb_datei}_{p_kurz}", Betreff: "{wb_titel} – {bescheidart} vom {datum}", Tage: [2]int{5, 30}, Klage: true, Text: []string{
			"auf Ihren Widerspruch vom {d_erst} gegen den {bescheidart} vom {datum} ergeht folgender",
			"# {wb_titel}",
			"{wb_tenor}",
			"# Begründung",
			"Der Widerspruch ist zulässig, insbesondere form- und fristgerecht erhoben. {wb_pruefung}",
			"Die Kostenentscheidung beruht auf § 80 des Thüringer Verwaltungsverfahrensgesetzes (ThürVwVfG).",
		}},
	},

	"bau": {
		{Typ: "Antrag", Art: briefEin, Datei: "Bauantrag_{p_kurz}", Betreff: "Bauantrag: {vorhaben}, Flurstück {flst}, Gemarkung {gemarkung}", Text: []string{
			"hiermit reiche ich den Antrag auf Erteilung einer Baugenehmigung für das Vorhaben {vorhaben} auf dem Grundstück {erf_strasse}, Gemarkung {gemarkung}, Flur {flur}, Flurstück {flst} ein.",
			"Entwurfsverfasser und bauvorlageberechtigt ist {entwurfsverfasser}. Die Baukosten werden auf {gesamtkosten} geschätzt.",
			"Beigefügt sind in dreifacher Ausfertigung: Lageplan, Bauzeichnungen, Baubeschreibung, Standsicherheitsnachweis, Berechnung der Grundflächen- und Geschossflächenzahl sowie der Stellplatznachweis.",
		}},
		{Typ: "Ausgang", Art: briefAus, Datei: "Nachforderung_{p_kurz}", Betreff: "Bauantrag {vorhaben} – Vollständigkeitsprüfung", Tage: [2]int{5, 15}, Text: []string{
			"Ihr Bauantrag ist am {d_eingang} bei der unteren Bauaufsichtsbehörde eingegangen. Bei der Prüfung auf Vollständigkeit nach § 69 Abs. 2 der Thüringer Bauordnung (ThürBO) wurde festgestellt, dass folgende Unterlagen fehlen:",
			"– Nachweis des Brandschutzes\n– Entwässerungsplan mit Anschluss an die öffentliche Kanalisation\n– Nachweis der Zustimmung der Eigentümer der Nachbargrundstücke (Abstandsflächen)",
			"Bitte reichen Sie die Unterlagen bis zum {frist} nach. Geht bis dahin nichts ein, gilt der Antrag nach § 69 Abs. 2 Satz 2 ThürBO als zurückgenommen.",
		}},
		{Typ: "E-Mail", Art: mailIntern, Opt: 1, Datei: "Mail_Stellungnahme_Stadtplanung", Betreff: "Stellungnahme Stadtplanung zu {az}", Tage: [2]int{7, 25}, Text: []string{
			"zu dem Bauvorhaben {vorhaben} (Flurstück {flst}, Gemarkung {gemarkung}) nimmt das Amt für Stadtentwicklung und Stadtplanung wie folgt Stellung:",
			"Das Grundstück liegt im Geltungsbereich des Bebauungsplans {bplan}. Das Vorhaben fügt sich nach Art und Maß der baulichen Nutzung ein. Gegen das Vorhaben bestehen aus planungsrechtlicher Sicht keine Bedenken, sofern die festgesetzte Traufhöhe eingehalten und die Dachbegrünung umgesetzt wird.",
			"Das gemeindliche Einvernehmen nach § 36 BauGB wird erteilt.",
		}},
		{Typ: "Vermerk", Art: vermerk, Datei: "Prüfvermerk_Bauantrag", Betreff: "Bauplanungs- und bauordnungsrechtliche Prüfung {vorhaben}", Tage: [2]int{3, 20}, Text: []string{
			"# 1. Vorhaben",
			"{vorhaben} auf dem Flurstück {flst}, Gemarkung {gemarkung}, Bauherr/in: {person}. Die nachgeforderten Unterlagen sind vollständig eingegangen.",
			"# 2. Planungsrecht",
			"Bebauungsplan {bplan}; das Vorhaben hält die Festsetzungen ein. Einvernehmen der Stadtplanung liegt vor.",
			"# 3. Bauordnungsrecht",
			"Die Abstandsflächen nach § 6 ThürBO sind eingehalten. Brandschutz und Standsicherheit sind nachgewiesen; die Prüfung des Standsicherheitsnachweises erfolgt durch einen Prüfingenieur. Stellplätze: {anzahl} Stellplätze nachgewiesen.",
			"# 4. Ergebnis",
			"Die Baugenehmigung kann mit Nebenbestimmungen erteilt werden. Gebühr nach der Thüringer Verwaltungskostenordnung: {gebuehr}.",
		}},
		{Typ: "Bescheid", Art: bescheid, Datei: "Baugenehmigung_{p_kurz}", Betreff: "Baugenehmigung – {vorhaben}", Tage: [2]int{4, 20}, Text: []string{
			"auf Ihren Antrag vom {d_erst} erteilen wir nach § 71 der Thüringer Bauordnung (ThürBO) die",
			"# Baugenehmigung",
			"für das Vorhaben {vorhaben} auf dem Grundstück {erf_strasse}, Gemarkung {gemarkung}, Flur {flur}, Flurstück {flst}, nach Maßgabe der mit Genehmigungsvermerk versehenen Bauvorlagen.",
			"# Nebenbestimmungen",
			"1. Der Baubeginn ist der Bauaufsichtsbehörde mindestens eine Woche vorher schriftlich anzuzeigen.\n2. Die Dachbegrünung ist gemäß Bebauungsplan {bplan} bis zur Nutzungsaufnahme herzustellen.\n3. Die Baugenehmigung erlischt, wenn innerhalb von drei Jahren nach ihrer Erteilung mit der Ausführung nicht begonnen wurde.",
			"# Kosten",
			"Für diese Entscheidung wird eine Gebühr in Höhe von {gebuehr} festgesetzt. Bitte überweisen Sie den Betrag unter Angabe des Kassenzeichens {kassenzeichen} innerhalb eines Monats.",
		}},
	},

	"eingabe": {
		{Typ: "Eingang", Art: briefEin, Datei: "Eingabe_{p_kurz}", Betreff: "{anliegen}", Text: []string{
			"ich wende mich heute an Sie, weil {anliegen_text}",
			"Ich habe mich bereits an die zuständige Stelle gewandt, aber bis heute keine zufriedenstellende Antwort erhalten. Für mich und viele andere Betroffene ist das nicht länger hinnehmbar.",
			"Ich bitte Sie daher, sich der Angelegenheit anzunehmen und mir mitzuteilen, was unternommen wird.",
		}},
		{Typ: "Ausgang", Art: briefAus, Opt: 1, Datei: "Zwischennachricht_{p_kurz}", Betreff: "Ihr Schreiben vom {d_erst}", Tage: [2]int{3, 10}, Text: []string{
			"vielen Dank für Ihr Schreiben vom {d_erst}, das am {d_eingang} bei uns eingegangen ist.",
			"Wir haben die zuständige Fachabteilung um eine Stellungnahme gebeten. Sobald diese vorliegt, erhalten Sie eine abschließende Antwort. Wir bitten Sie bis dahin um etwas Geduld.",
		}},
		{Typ: "E-Mail", Art: mailIntern, Opt: 2, Datei: "Mail_Bitte_um_Stellungnahme", Betreff: "Bitte um Stellungnahme bis {frist_stn}: Eingabe {person}", Tage: [2]int{0, 3}, Text: []string{
			"anbei übersende ich die Eingabe von {person} vom {d_erst} mit der Bitte um eine kurze fachliche Stellungnahme bis zum {frist_stn}.",
			"Es geht im Kern um folgende Frage: {anliegen}. Für die Antwort an den Bürger genügen einige Sätze zum Sachstand und zum weiteren Vorgehen. Falls Sie nicht zuständig sind, geben Sie mir bitte kurz Bescheid, an wen ich mich wenden kann.",
		}},
		{Typ: "E-Mail", Art: mailIntern, Antwort: true, Opt: 2, Datei: "Mail_Stellungnahme", Betreff: "AW: Bitte um Stellungnahme bis {frist_stn}: Eingabe {person}", Tage: [2]int{3, 14}, Text: []string{
			"vielen Dank für die Weiterleitung. Zum Sachstand kann ich Folgendes mitteilen (als Formulierungsvorschlag für die Antwort):",
			"{stellungnahme}",
			"Gegen eine entsprechende Antwort an den Petenten bestehen aus fachlicher Sicht keine Bedenken.",
		}},
		{Typ: "Ausgang", Art: briefAus, Datei: "Antwort_{p_kurz}", Betreff: "Ihr Schreiben vom {d_erst}", Tage: [2]int{2, 12}, Text: []string{
			"wir kommen zurück auf Ihr Schreiben vom {d_erst} und danken Ihnen für Ihre Geduld.",
			"{stellungnahme}",
			"Wir hoffen, Ihnen damit weitergeholfen zu haben. Sollten Sie weitere Fragen haben, wenden Sie sich gern an die oben genannte Ansprechperson.",
		}},
	},

	"anfrage": {
		{Typ: "Eingang", Art: briefEin, Datei: "Kleine_Anfrage_{drs}", Betreff: "Kleine Anfrage {nr} – Drucksache {drs}", Text: []string{
			"anliegend übersende ich die Kleine Anfrage {nr} {abg_gen} ({fraktion}) zum Thema „{thema}“ (Drucksache {drs}) mit der Bitte um Beantwortung innerhalb der Frist von sechs Wochen gemäß § 90 der Geschäftsordnung des Thüringer Landtags.",
			"{abg_nom} fragt die Landesregierung:\n1. {frage1}\n2. {frage2}\n3. Welche Maßnahmen plant die Landesregierung in diesem Bereich bis zum Ende der Wahlperiode?",
		}},
		{Typ: "E-Mail", Art: mailIntern, Opt: 1, Datei: "Mail_Zuarbeit", Betreff: "Zuarbeit Kleine Anfrage {nr} (Drs. {drs}) – Frist {frist}", Tage: [2]int{1, 4}, Text: []string{
			"die Kleine Anfrage {nr} zum Thema „{thema}“ ist uns zur federführenden Beantwortung zugewiesen worden. Ich bitte um Zuarbeit zu den Fragen 1 und 2 bis zum {frist}.",
			"Bitte liefern Sie belastbare Zahlen mit Stichtag und Quelle; Schätzungen bitte als solche kennzeichnen. Die Antwort wird anschließend mit den beteiligten Ressorts abgestimmt.",
		}},
		{Typ: "Vermerk", Art: vermerk, Datei: "Antwortentwurf_KA_{nr}", Betreff: "Antwortentwurf Kleine Anfrage {nr}", Tage: [2]int{7, 20}, Text: []string{
			"# Vorbemerkung",
			"Die Kleine Anfrage {nr} {abg_gen} betrifft {thema}. Die Zuarbeiten der Fachreferate liegen vor und sind eingearbeitet.",
			"# Zu Frage 1",
			"{antwort1}",
			"# Zu Frage 2",
			"{antwort2}",
			"# Zu Frage 3",
			"Die Landesregierung wird die Entwicklung weiter beobachten und die Ergebnisse in die Haushaltsberatungen für die Jahre 2027 und 2028 einbeziehen.",
		}},
		{Typ: "Ausgang", Art: briefAus, Datei: "Antwort_KA_{nr}", Betreff: "Antwort der Landesregierung auf die Kleine Anfrage {nr} (Drucksache {drs})", Tage: [2]int{5, 15}, Text: []string{
			"namens der Landesregierung beantworte ich die Kleine Anfrage {nr} {abg_gen} wie folgt:",
			"Zu 1.: {antwort1}",
			"Zu 2.: {antwort2}",
			"Zu 3.: Die Landesregierung wird die Entwicklung weiter beobachten und die Ergebnisse in die Haushaltsberatungen für die Jahre 2027 und 2028 einbeziehen.",
		}},
	},

	"kabinett": {
		{Typ: "Sonstiges", Art: vermerk, Kopf: "Kabinettvorlage", Datei: "Kabinettvorlage_{ressortkurz}", Betreff: "Kabinettvorlage {ressortkurz}: {vorlage}", Text: []string{
			"# A. Problem und Regelungsbedürfnis",
			"{vorlage_problem}",
			"# B. Lösung",
			"Das {ressort} legt den Entwurf vor: {vorlage}. Die kommunalen Spitzenverbände wurden angehört.",
			"# C. Alternativen",
			"Keine.",
			"# D. Kosten",
			"{kostenfolge}",
			"# E. Beschlussvorschlag",
			"Die Landesregierung stimmt dem Entwurf zu und beschließt, ihn {weiter}.",
		}},
		{Typ: "E-Mail", Art: mailIntern, Opt: 1, Datei: "Mail_Mitzeichnung", Betreff: "Mitzeichnung Kabinettvorlage „{vorlage}“", Tage: [2]int{1, 5}, Text: []string{
			"die Kabinettvorlage des {ressortkurz} „{vorlage}“ ist für die Sitzung am {sitzung} angemeldet. Die Ressorts haben bis auf das Finanzministerium mitgezeichnet; dort werden noch die finanziellen Auswirkungen geprüft.",
			"Ich schlage vor, die Vorlage mit dem Vorbehalt der Mitzeichnung durch das TFM auf die Tagesordnung zu nehmen. Bitte um kurze Rückmeldung bis morgen Mittag.",
		}},
		{Typ: "Verfügung", Art: verfuegung, Datei: "Verfügung_Tagesordnung", Betreff: "Aufnahme in die Tagesordnung der Kabinettsitzung", Tage: [2]int{1, 4}, Text: []string{
			"1. Die Vorlage „{vorlage}“ wird als TOP {top} in die Tagesordnung der Kabinettsitzung aufgenommen.\n2. Versand der Tagesordnung an die Ressorts.\n3. Sprechzettel für die Ministerpräsidentin/den Ministerpräsidenten fertigen.\n4. WV nach der Sitzung.\n5. z. Vg.",
		}},
		{Typ: "Protokoll", Art: protokoll, Datei: "Protokollauszug", Kopf: "Auszug aus dem Protokoll der Kabinettsitzung", Datum: "{sitzung}", Ort: "Thüringer Staatskanzlei, Kabinettsaal", Teilnehmende: "Mitglieder der Landesregierung (Anwesenheitsliste beim Original)", Betreff: "Kabinettsitzung am {sitzung}, TOP {top}: {vorlage}", Tage: [2]int{5, 12}, Text: []string{
			"# TOP {top}: {vorlage}",
			"Vorlage: {ressort}.",
			"Die Landesregierung stimmt dem Entwurf zu und beschließt, ihn {weiter}. Das Finanzministerium hat seinen Vorbehalt zur Mitzeichnung zurückgenommen.",
			"Der Regierungssprecher wird gebeten, die Öffentlichkeit zu unterrichten.",
		}},
	},

	"intern": {
		{Typ: "Vermerk", Art: vermerk, Datei: "Vermerk", Betreff: "{vbetreff}", Text: []string{
			"# 1. Anlass",
			"{anlass}",
			"# 2. Sachstand",
			"{sachstand}",
			"# 3. Vorschlag",
			"{vorschlag}",
		}},
		{Typ: "E-Mail", Art: mailIntern, Opt: 1, Datei: "Mail_Abstimmung", Betreff: "Abstimmung: {vbetreff}", Tage: [2]int{1, 7}, Text: []string{
			"anbei der Vermerk zu „{vbetreff}“ mit der Bitte um Durchsicht. Ich würde das Thema gern in der nächsten Referatsbesprechung kurz aufrufen.",
			"Besonders wichtig ist mir Ihre Einschätzung zum Zeitplan: {vorschlag}",
		}},
		{Typ: "Protokoll", Art: protokoll, Datei: "Protokoll_Besprechung", Betreff: "Ergebnisprotokoll der Besprechung zu {vbetreff}", Tage: [2]int{3, 14}, Text: []string{
			"# TOP 1: Sachstand",
			"{sachstand}",
			"# TOP 2: Weiteres Vorgehen",
			"Die Teilnehmenden stimmen dem Vorschlag im Grundsatz zu. {vorschlag}",
			"# TOP 3: Verschiedenes",
			"Nächste Besprechung in vier Wochen; Einladung folgt.",
		}},
		{Typ: "Verfügung", Art: verfuegung, Opt: 2, Datei: "Verfügung", Betreff: "Verfügung: {vbetreff}", Tage: [2]int{1, 10}, Text: []string{
			"1. Das Ergebnis der Besprechung wird umgesetzt wie im Protokoll festgehalten.\n2. Unterrichtung der Abteilungsleitung per E-Mail.\n3. WV {wv}.\n4. z. Vg.",
		}},
	},

	"haushalt": {
		{Typ: "Ausgang", Art: briefAus, Datei: "Aufstellungsschreiben_Epl_{epl}", Betreff: "Aufstellung des Landeshaushalts {hhjahr} – Einzelplan {epl}", Text: []string{
			"zur Aufstellung des Entwurfs des Landeshaushalts {hhjahr} bitte ich, die Voranschläge für den Einzelplan {epl} ({eplname}) bis zum {frist} über das Haushaltsaufstellungsverfahren vorzulegen.",
			"Maßgeblich sind die vom Kabinett beschlossenen Eckwerte. Mehrbedarfe gegenüber der Finanzplanung sind nur zu berücksichtigen, wenn sie im Einzelplan ausgeglichen werden. Neue Stellen sind gesondert zu begründen.",
			"Für Rückfragen steht Ihnen das Haushaltsreferat gern zur Verfügung.",
		}},
		{Typ: "Eingang", Art: briefEin, Datei: "Voranschlag_Epl_{epl}", Betreff: "Voranschläge Einzelplan {epl} für das Haushaltsjahr {hhjahr}", Tage: [2]int{10, 30}, Text: []string{
			"wie erbeten übersenden wir die Voranschläge für den Einzelplan {epl} zum Entwurf des Landeshaushalts {hhjahr}.",
			"Gegenüber der Finanzplanung ergibt sich ein Mehrbedarf von {betrag}, der im Wesentlichen auf {mehrbedarf} zurückgeht. Ein Ausgleich innerhalb des Einzelplans ist nur teilweise möglich; wir bitten um Aufnahme in die Chefgespräche.",
		}},
		{Typ: "Vermerk", Art: vermerk, Datei: "Prüfvermerk_Epl_{epl}", Betreff: "Prüfung der Voranschläge Einzelplan {epl}", Tage: [2]int{3, 15}, Text: []string{
			"# 1. Ergebnis der Prüfung",
			"Der Voranschlag überschreitet den Eckwert um {betrag}. Begründet wird der Mehrbedarf mit {mehrbedarf}.",
			"# 2. Bewertung",
			"Der Mehrbedarf ist dem Grunde nach nachvollziehbar, der Höhe nach jedoch nicht belegt. Bei Kapitel {kapitel} Titel {titel} sind in den Vorjahren regelmäßig Ausgabereste entstanden.",
			"# 3. Vorschlag für das Chefgespräch",
			"Anerkennung von 50 % des Mehrbedarfs; Ausgleich des Rests durch globale Minderausgabe im Einzelplan {epl}.",
		}},
		{Typ: "Protokoll", Art: protokoll, Datei: "Protokoll_Chefgespräch_Epl_{epl}", Betreff: "Ergebnisprotokoll Chefgespräch Einzelplan {epl}", Tage: [2]int{5, 20}, Text: []string{
			"# 1. Mehrbedarf",
			"Das Ressort erläutert den Mehrbedarf ({mehrbedarf}). Das Finanzministerium erkennt die Hälfte an; der Rest wird durch eine globale Minderausgabe im Einzelplan {epl} ausgeglichen.",
			"# 2. Stellen",
			"Neue Stellen werden nicht ausgebracht; zwei kw-Vermerke werden um ein Jahr verschoben.",
			"# 3. Ergebnis",
			"Einvernehmen. Das Ergebnis wird in den Regierungsentwurf übernommen.",
		}},
		{Typ: "Verfügung", Art: verfuegung, Opt: 1, Datei: "Verfügung_Regierungsentwurf", Betreff: "Übernahme in den Regierungsentwurf {hhjahr}", Tage: [2]int{2, 8}, Text: []string{
			"1. Die Ergebnisse des Chefgesprächs werden in den Regierungsentwurf {hhjahr} übernommen.\n2. Mitteilung an das Ressort.\n3. Anpassung der Finanzplanung.\n4. z. Vg.",
		}},
	},

	"bewerbung": {
		{Typ: "E-Mail", Art: mailEin, Datei: "Mail_Bewerbung_{p_kurz}", Betreff: "Bewerbung: {stelle}", Text: []string{
			"mit großem Interesse habe ich Ihre Ausschreibung gelesen und bewerbe mich hiermit um die Stelle „{stelle}“.",
			"{bewerbung_text}",
			"Meine vollständigen Bewerbungsunterlagen (Lebenslauf, Zeugnisse, Beurteilungen) finden Sie im Anhang. Über eine Einladung zu einem Vorstellungsgespräch freue ich mich.",
		}},
		{Typ: "E-Mail", Art: mailAus, Opt: 1, Datei: "Mail_Eingangsbestätigung_{p_kurz}", Betreff: "Ihre Bewerbung – {stelle}", Tage: [2]int{1, 5}, Text: []string{
			"vielen Dank für Ihre Bewerbung und Ihr Interesse an einer Tätigkeit bei uns. Ihre Unterlagen sind vollständig eingegangen.",
			"Die Ausschreibung endet am {frist}. Anschließend treffen wir eine Vorauswahl; die Auswahlgespräche sind für die zweite Hälfte des Folgemonats geplant. Wir melden uns unaufgefordert bei Ihnen.",
		}},
		{Typ: "Vermerk", Art: vermerk, Datei: "Auswahlvermerk_{p_kurz}", Betreff: "Auswahlgespräch {person}", Tage: [2]int{15, 40}, Text: []string{
			"# 1. Teilnehmende",
			"{leitung} (Vorsitz), {sb}, Vertretung des Personalrats, Gleichstellungsbeauftragte.",
			"# 2. Verlauf",
			"Das strukturierte Interview dauerte 45 Minuten. {person} beantwortete die Fachfragen sicher und zeigte gute Kenntnisse des Haushalts- und Verwaltungsrechts. Die Fallaufgabe wurde strukturiert und praxisnah gelöst.",
			"# 3. Bewertung",
			"Gesamtpunktzahl {rang} von 100. Die Kommission empfiehlt {empfehlung}.",
		}},
		{Typ: "Ausgang", Art: briefAus, Datei: "Mitteilung_{p_kurz}", Betreff: "Ihre Bewerbung – {stelle}", Tage: [2]int{5, 20}, Text: []string{
			"nochmals vielen Dank für Ihre Bewerbung vom {d_erst} und Ihr Interesse an einer Tätigkeit bei uns.",
			"{mitteilung}",
			"Ihre Bewerbungsunterlagen werden nach Ablauf von sechs Monaten datenschutzgerecht vernichtet, sofern Sie nicht vorher ihre Rücksendung wünschen.",
		}},
	},

	"liegenschaft": {
		{Typ: "Vermerk", Art: vermerk, Datei: "Vermerk_Verwertung", Betreff: "Verwertung der Liegenschaft {strasse}, {ort}", Text: []string{
			"# 1. Sachverhalt",
			"Die Liegenschaft {strasse} in {ort} (Flurstück {flst}, Grundstücksfläche {anzahl}00 m²) wird seit dem Auszug der Landesdienststelle nicht mehr für Landeszwecke benötigt. Die Bewirtschaftungskosten belaufen sich auf jährlich rund {kosten} zuzüglich Sicherungskosten.",
			"# 2. Vorschlag",
			"Die Liegenschaft soll im Bieterverfahren veräußert werden. Der Stadt {ort} ist vorab ein Erwerb zum Verkehrswert anzubieten. Ein Wertgutachten ist in Auftrag zu geben.",
		}},
		{Typ: "Eingang", Art: briefEin, Datei: "Interessenbekundung_Stadt_{ort}", Betreff: "Liegenschaft {strasse} – Interesse der Stadt {ort}", Tage: [2]int{20, 45}, Text: []string{
			"wir haben erfahren, dass der Freistaat die Liegenschaft {strasse} nicht mehr benötigt. Die Stadt {ort} hat großes Interesse an einem Erwerb, um dort {nutzung} einzurichten.",
			"Wir bitten daher, die Liegenschaft vor einem öffentlichen Bieterverfahren der Stadt anzubieten, und um Übersendung des Wertgutachtens.",
		}},
		{Typ: "Ausgang", Art: briefAus, Datei: "Angebot_Stadt_{ort}", Betreff: "Angebot zum Erwerb der Liegenschaft {strasse}", Tage: [2]int{10, 30}, Text: []string{
			"wir danken für Ihr Schreiben vom {d_letzter_eingang}. Der Freistaat Thüringen ist bereit, die Liegenschaft {strasse} in {ort} (Flurstück {flst}) an die Stadt {ort} zu veräußern.",
			"Der Verkehrswert wurde durch ein Gutachten nach § 194 BauGB zum Stichtag {gutachtendatum} mit {betrag} ermittelt; eine Kopie des Gutachtens liegt bei. Zu diesem Preis bieten wir Ihnen die Liegenschaft an.",
			"Bitte teilen Sie uns bis zum {frist} mit, ob die Stadt das Angebot annimmt. Der Verkauf bedarf der Zustimmung des Haushalts- und Finanzausschusses des Landtags.",
		}},
		{Typ: "E-Mail", Art: mailEin, Datei: "Mail_Annahme_Stadt_{ort}", Betreff: "AW: Angebot zum Erwerb der Liegenschaft {strasse}", Tage: [2]int{15, 45}, Text: []string{
			"der Stadtrat hat in seiner letzten Sitzung den Erwerb der Liegenschaft {strasse} zum angebotenen Kaufpreis von {betrag} beschlossen. Den Beschluss füge ich bei.",
			"Wir bitten um Übersendung eines Kaufvertragsentwurfs. Als Beurkundungstermin schlagen wir den {termin} vor.",
		}},
		{Typ: "Protokoll", Art: protokoll, Datei: "Protokollauszug_Haushaltsausschuss", Kopf: "Auszug aus dem Protokoll des Haushalts- und Finanzausschusses", Ort: "Thüringer Landtag, Raum F 202", Teilnehmende: "Mitglieder des Haushalts- und Finanzausschusses; für die Landesregierung: {leitung}", Betreff: "Zustimmung des Haushalts- und Finanzausschusses zur Veräußerung {strasse}, {ort}", Tage: [2]int{20, 40}, Text: []string{
			"# TOP {top}: Veräußerung der Liegenschaft {strasse}, {ort}",
			"Der Haushalts- und Finanzausschuss stimmt der Veräußerung nach § 64 Abs. 2 ThürLHO zum Kaufpreis von {betrag} zu.",
		}},
	},

	"standesamt": {
		{Typ: "Antrag", Art: briefEin, Datei: "Anmeldung_Eheschließung_{p_kurz}", Betreff: "Anmeldung der Eheschließung {person} und {zweite_person}", Text: []string{
			"hiermit melden wir unsere Eheschließung an. Wir möchten am {termin} im {trauort} heiraten.",
			"Beigefügt sind: beglaubigte Abschriften aus den Geburtenregistern, erweiterte Meldebescheinigungen sowie Kopien der Personalausweise. Wir sind beide ledig und deutsche Staatsangehörige.",
			"Einen Ehenamen möchten wir {ehename}.",
		}},
		{Typ: "Vermerk", Art: vermerk, Datei: "Prüfvermerk_Ehefähigkeit", Betreff: "Prüfung der Ehevoraussetzungen {nachname}/{zweite_nachname}", Tage: [2]int{3, 10}, Text: []string{
			"Die Unterlagen sind vollständig. Ehehindernisse nach §§ 1306 ff. BGB sind nicht ersichtlich. Die Identität der Verlobten wurde bei der persönlichen Vorsprache am {heute} anhand der Personalausweise festgestellt.",
			"Die Eheschließung kann am gewünschten Termin im {trauort} stattfinden. Gebühr nach der Thüringer Verwaltungskostenordnung: {gebuehr}.",
		}},
		{Typ: "Ausgang", Art: briefAus, Datei: "Terminbestätigung_{p_kurz}", Betreff: "Ihre Eheschließung am {termin}", Tage: [2]int{1, 7}, Text: []string{
			"wir freuen uns, Ihnen den Termin Ihrer Eheschließung am {termin} im {trauort} zu bestätigen.",
			"Bitte seien Sie 15 Minuten vor Beginn der Zeremonie vor Ort und bringen Sie Ihre Personalausweise mit. Trauzeugen sind nicht erforderlich, aber willkommen; bitte teilen Sie uns deren Namen bis spätestens zwei Wochen vor der Trauung mit.",
			"Die Gebühr in Höhe von {gebuehr} überweisen Sie bitte unter Angabe des Kassenzeichens {kassenzeichen}.",
		}},
	},

	"erlaubnis": {
		{Typ: "Antrag", Art: mailEin, Datei: "Mail_Antrag_{p_kurz}", Betreff: "Antrag auf {erlaubnisart}: {erlaubnis_kurz}", Text: []string{
			"hiermit beantrage ich eine {erlaubnisart} für {erlaubnis_detail} in der Zeit vom {von} bis {bis}.",
			"Die genaue Lage ist im beigefügten Lageplan eingezeichnet. Die Durchgangsbreite für Fußgänger von mindestens 1,50 m bleibt erhalten. Eine Kopie der Gewerbeanmeldung liegt bei.",
		}},
		{Typ: "E-Mail", Art: mailAus, Opt: 1, Datei: "Mail_Rückfrage_{p_kurz}", Betreff: "Rückfrage zu Ihrem Antrag – {az}", Tage: [2]int{2, 8}, Text: []string{
			"vielen Dank für Ihren Antrag. Damit wir ihn bearbeiten können, senden Sie uns bitte noch einen maßstäblichen Lageplan (1:100) und den Nachweis der Betriebshaftpflichtversicherung.",
			"Sobald die Unterlagen vorliegen, erhalten Sie die Erlaubnis in der Regel innerhalb von zwei Wochen.",
		}},
		{Typ: "Bescheid", Art: bescheid, Datei: "Erlaubnis_{p_kurz}", Betreff: "{erlaubnisart} – {erlaubnis_kurz}, {firma}", Tage: [2]int{5, 20}, Text: []string{
			"auf Ihren Antrag vom {d_erst} ergeht folgender",
			"# Bescheid",
			"1. Ihnen wird die {erlaubnisart} für {erlaubnis_detail} in der Zeit vom {von} bis {bis} erteilt.\n2. Die Erlaubnis ist jederzeit widerruflich und nicht übertragbar.\n3. Für die Erlaubnis wird eine Gebühr von {gebuehr} festgesetzt (Kassenzeichen {kassenzeichen}).",
			"# Auflagen",
			"Die Fläche ist sauber zu halten; Mobiliar ist täglich nach Betriebsschluss zu sichern. Feuerwehrzufahrten und Hydranten sind freizuhalten. Die Nachtruhe ab 22:00 Uhr ist zu beachten.",
			"# Begründung",
			"Die Erlaubnis beruht auf § 18 des Thüringer Straßengesetzes in Verbindung mit der Sondernutzungssatzung der Landeshauptstadt Erfurt. Öffentliche Belange stehen nicht entgegen.",
		}},
	},

	"vergabe": {
		{Typ: "Antrag", Art: mailEin, Datei: "Mail_Bewerbung_{p_kurz}", Betreff: "Bewerbung um Teilnahme am Qualifizierungskurs {nr} ({fach})", Text: []string{
			"hiermit bewerbe ich mich um einen der {plaetze} Plätze im berufsbegleitenden Qualifizierungskurs für Seiteneinsteigerinnen und Seiteneinsteiger im Fach {fach}.",
			"Ich habe einen Masterabschluss in {studium} und arbeite seit drei Jahren in der Industrie. Meine Bereitschaft zum Einsatz an einer Schule im ländlichen Raum erkläre ich ausdrücklich; als Einsatzregion bevorzuge ich den Bereich: {schulamt_allein}.",
			"Die erforderlichen Nachweise (Abschlusszeugnis, Lebenslauf, erweitertes Führungszeugnis) sind beigefügt.",
		}},
		{Typ: "Vermerk", Art: vermerk, Datei: "Vermerk_Rangliste", Betreff: "Rangliste Qualifizierungskurs {nr}: {person}", Tage: [2]int{10, 30}, Text: []string{
			"Nach den veröffentlichten Vergabekriterien (Bedarfsfach, Abschlussnote, Berufserfahrung, regionale Bereitschaft) erreicht {person} Rangplatz {rang} von {anzahl}0 Bewerbungen.",
			"Bei {plaetze} Plätzen ist {vergabe_ergebnis}",
		}},
		{Typ: "Bescheid", Art: bescheid, Datei: "Bescheid_Zulassung_{p_kurz}", Betreff: "Bescheid über die Zulassung zum Qualifizierungskurs {nr}", Tage: [2]int{3, 15}, Text: []string{
			"auf Ihre Bewerbung vom {d_erst} ergeht folgender",
			"# Bescheid",
			"{vergabe_tenor}",
			"# Begründung",
			"Für den Kurs standen {plaetze} Plätze zur Verfügung. Die Auswahl erfolgte nach den veröffentlichten Vergabekriterien in der Reihenfolge der Rangliste. Sie haben Rangplatz {rang} erreicht.",
		}},
	},

	"aufsicht": {
		{Typ: "Eingang", Art: briefEin, Datei: "Bericht_{p_kurz}", Betreff: "Bericht: {vbetreff}", Text: []string{
			"zu „{vbetreff}“ berichten wir wie folgt.",
			"{bericht}",
			"Für Rückfragen stehe ich gern zur Verfügung.",
		}},
		{Typ: "Vermerk", Art: vermerk, Datei: "Vermerk_Auswertung", Betreff: "Auswertung des Berichts: {vbetreff}", Tage: [2]int{5, 15}, Text: []string{
			"# 1. Sachverhalt",
			"{bericht}",
			"# 2. Bewertung",
			"{bewertung}",
		}},
		{Typ: "Protokoll", Art: protokoll, Opt: 1, Datei: "Protokoll_Vor-Ort-Termin", Betreff: "Protokoll Vor-Ort-Termin: {vbetreff}", Tage: [2]int{10, 30}, Text: []string{
			"# 1. Begehung und Stichproben",
			"{vorort}",
			"# 2. Vereinbarungen",
			"Bis zum {frist} wird ein Maßnahmenplan vorgelegt. Die nächste Prüfung findet in einem Jahr statt.",
		}},
		{Typ: "Ausgang", Art: briefAus, Datei: "Hinweise_{p_kurz}", Betreff: "Ergebnis der Prüfung: {vbetreff}", Tage: [2]int{5, 15}, Text: []string{
			"wir danken für Ihren Bericht vom {d_erst} und für die gute Zusammenarbeit bei der anschließenden Prüfung.",
			"Die Prüfung hat insgesamt ein positives Bild ergeben. Wir bitten, die im Protokoll vereinbarten Maßnahmen bis zum {frist} umzusetzen und uns über den Stand zu berichten.",
		}},
	},
}
