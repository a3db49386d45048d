package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
	"time"

	"aktenwerk/internal/records"
)

const postCols = `id, tenant_id, unit_id, quelle, source_ref, message_id, betreff, absender, eingegangen_am, sha256, size, mime_type, dateiname,
	status, text_status, text_grund, text, vorschlaege, vorgang_id, dokument_ids, zugeordnet_von, zugeordnet_am, created_by`

const postSelect = postCols + `, (SELECT o.kennung FROM org_units o WHERE o.id = posteingang.unit_id), miniatur_sha256`

func scanPost(r interface{ Scan(...any) error }) (records.PostItem, error) {
	var it records.PostItem
	var unit, msg, vg, von, kennung, mini sql.NullString
	var am sql.NullTime
	var vorschlaege, doks string
	err := r.Scan(&it.ID, &it.TenantID, &unit, &it.Quelle, &it.SourceRef, &msg, &it.Betreff, &it.Absender, &it.EingegangenAm,
		&it.SHA256, &it.Size, &it.MimeType, &it.Dateiname, &it.Status, &it.Texterkennung.Status, &it.Texterkennung.Grund, &it.Text,
		&vorschlaege, &vg, &doks, &von, &am, &it.CreatedBy, &kennung, &mini)
	if err != nil {
		return it, err
	}
	it.UnitID, it.MessageID, it.Einheit, it.MiniaturSHA256 = unit.String, msg.String, strPtr(kennung), mini.String
	it.VorgangID, it.ZugeordnetVon, it.ZugeordnetAm = strPtr(vg), strPtr(von), timePtr(am)
	it.EingegangenAm = it.EingegangenAm.UTC()
	if err := json.Unmarshal([]byte(vorschlaege), &it.Vorschlaege); err != nil {
		return it, err
	}
	if err := json.Unmarshal([]byte(doks), &it.DokumentIDs); err != nil {
		return it, err
	}
	if it.Vorschlaege == nil {
		it.Vorschlaege = []records.Vorschlag{}
	}
	if it.DokumentIDs == nil {
		it.DokumentIDs = []string{}
	}
	return it, nil
}

func postJSON(it records.PostItem) (vorschlaege, doks string) {
	v, _ := json.Marshal(it.Vorschlaege)
	d, _ := json.Marshal(it.DokumentIDs)
	if it.Vorschlaege == nil {
		v = []byte("[]")
	}
	if it.DokumentIDs == nil {
		d = []byte("[]")
	}
	return string(v), string(d)
}

func (t *tx) InsertPostItem(ctx context.Context, it records.PostItem) error {
	v, d := postJSON(it)
	_, err := t.exec(ctx, `INSERT INTO posteingang (`+postCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		it.ID, it.TenantID, nullID(it.UnitID), it.Quelle, it.SourceRef, nullID(it.MessageID), it.Betreff, it.Absender, it.EingegangenAm.UTC(),
		it.SHA256, it.Size, it.MimeType, it.Dateiname, it.Status, it.Texterkennung.Status, it.Texterkennung.Grund, it.Text,
		v, nullStr(it.VorgangID), d, nullStr(it.ZugeordnetVon), nullTime(it.ZugeordnetAm), it.CreatedBy)
	return err
}

func (t *tx) GetPostItem(ctx context.Context, tenantID, id string) (records.PostItem, error) {
	it, err := scanPost(t.row(ctx, `SELECT `+postSelect+` FROM posteingang WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return it, one(err)
}

func (t *tx) FindPostItem(ctx context.Context, id string) (records.PostItem, error) {
	it, err := scanPost(t.row(ctx, `SELECT `+postSelect+` FROM posteingang WHERE id = ?`, id))
	return it, one(err)
}

func (t *tx) PostItemBySource(ctx context.Context, tenantID, quelle, ref string) (records.PostItem, error) {
	it, err := scanPost(t.row(ctx, `SELECT `+postSelect+` FROM posteingang WHERE tenant_id = ? AND quelle = ? AND source_ref = ?`, tenantID, quelle, ref))
	return it, one(err)
}

func (t *tx) PostItemByMessageID(ctx context.Context, tenantID, messageID string) (records.PostItem, error) {
	it, err := scanPost(t.row(ctx, `SELECT `+postSelect+` FROM posteingang WHERE tenant_id = ? AND message_id = ?`, tenantID, messageID))
	return it, one(err)
}

func (t *tx) ListPostItems(ctx context.Context, q records.PostQuery) ([]records.PostItem, error) {
	where := `tenant_id = ?`
	args := []any{q.TenantID}
	if !q.All {
		where += ` AND (unit_id IS NULL OR unit_id IN (` + t.db.dialect.JSONList + `))`
		args = append(args, jsonList(q.Units))
	}
	if q.Status != "alle" {
		where += ` AND status = ?`
		args = append(args, q.Status)
	}
	if q.UnitID != "" {
		where += ` AND unit_id = ?`
		args = append(args, q.UnitID)
	}
	if q.Page.After != "" {
		where += ` AND id < ?`
		args = append(args, q.Page.After)
	}
	rows, err := t.query(ctx, `SELECT `+postSelect+` FROM posteingang WHERE `+where+` ORDER BY id DESC LIMIT `+strconv.Itoa(q.Page.Limit), args...)
	return scanAll(rows, err, func(r *sql.Rows) (records.PostItem, error) { return scanPost(r) })
}

func (t *tx) UpdatePostItem(ctx context.Context, it records.PostItem) error {
	v, d := postJSON(it)
	return affected(t.exec(ctx, `UPDATE posteingang SET message_id = ?, betreff = ?, absender = ?, status = ?, text_status = ?, text_grund = ?, text = ?,
		vorschlaege = ?, vorgang_id = ?, dokument_ids = ?, zugeordnet_von = ?, zugeordnet_am = ? WHERE id = ?`,
		nullID(it.MessageID), it.Betreff, it.Absender, it.Status, it.Texterkennung.Status, it.Texterkennung.Grund, it.Text,
		v, nullStr(it.VorgangID), d, nullStr(it.ZugeordnetVon), nullTime(it.ZugeordnetAm), it.ID))
}

func (t *tx) ReplacePostAttachments(ctx context.Context, itemID string, atts []records.PostAnhang) error {
	if _, err := t.exec(ctx, `DELETE FROM posteingang_anhaenge WHERE item_id = ?`, itemID); err != nil {
		return err
	}
	for _, a := range atts {
		if _, err := t.exec(ctx, `INSERT INTO posteingang_anhaenge (item_id, nr, dateiname, sha256, size, mime_type) VALUES (?,?,?,?,?,?)`,
			itemID, a.Nr, a.Dateiname, a.SHA256, a.Size, a.MimeType); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) ListPostAttachments(ctx context.Context, itemID string) ([]records.PostAnhang, error) {
	rows, err := t.query(ctx, `SELECT nr, dateiname, sha256, size, mime_type FROM posteingang_anhaenge WHERE item_id = ? ORDER BY nr`, itemID)
	return scanAll(rows, err, func(r *sql.Rows) (records.PostAnhang, error) {
		var a records.PostAnhang
		err := r.Scan(&a.Nr, &a.Dateiname, &a.SHA256, &a.Size, &a.MimeType)
		return a, err
	})
}

func (t *tx) PostAwaitingText(ctx context.Context, before time.Time, limit int) ([]records.PostItem, error) {
	rows, err := t.query(ctx, `SELECT `+postSelect+` FROM posteingang WHERE text_status IN ('ausstehend', 'laeuft') AND eingegangen_am < ?
		ORDER BY eingegangen_am LIMIT `+strconv.Itoa(limit), before.UTC())
	return scanAll(rows, err, func(r *sql.Rows) (records.PostItem, error) { return scanPost(r) })
}

func (t *tx) SetPostMiniatur(ctx context.Context, id, sha, status string) error {
	var v any
	if sha != "" {
		v = sha
	}
	if sha == "" && status == records.MiniaturEingereiht {
		// only from ausstehend: a job that finished meanwhile keeps its state
		_, err := t.exec(ctx, `UPDATE posteingang SET miniatur_status = ? WHERE id = ? AND miniatur_status = ?`, status, id, records.MiniaturAusstehend)
		return err
	}
	return affected(t.exec(ctx, `UPDATE posteingang SET miniatur_sha256 = ?, miniatur_status = ? WHERE id = ?`, v, status, id))
}

func (t *tx) PostMiniaturenAusstehend(ctx context.Context, before time.Time, limit int) ([]records.PostItem, error) {
	rows, err := t.query(ctx, `SELECT `+postSelect+` FROM posteingang WHERE miniatur_status = 'ausstehend' AND eingegangen_am < ?
		ORDER BY eingegangen_am, id LIMIT `+strconv.Itoa(limit), before.UTC())
	return scanAll(rows, err, func(r *sql.Rows) (records.PostItem, error) { return scanPost(r) })
}
