package extract

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strings"
	"testing"
)

func TestImageOCR(t *testing.T) {
	tools := need(t, ToolTesseract)
	img := renderText(t, bescheidLines, false)
	for _, tt := range []struct {
		name, mime string
		data       []byte
	}{
		{"png", "image/png", pngOf(t, img)},
		{"jpeg", "image/jpeg", jpegOf(t, img)},
		{"tiff", "image/tiff", tiffOf(t, img)},
		{"png detected", "", pngOf(t, img)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := extractBytes(t, tt.data, tt.mime, Options{Tools: tools})
			if err != nil {
				t.Fatal(err)
			}
			if r.Method != MethodOCR || !r.OCR || r.Pages != 1 {
				t.Errorf("result %+v", r)
			}
			wantWords(t, r.Text, len(bescheidWords)-1, bescheidWords...)
		})
	}
}

func TestImageWithoutText(t *testing.T) {
	tools := need(t, ToolTesseract)
	blank := renderText(t, nil, false)
	r, err := extractBytes(t, pngOf(t, blank), "image/png", Options{Tools: tools})
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(r.Text) != "" || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "kein Text") {
		t.Errorf("%q %v", r.Text, r.Warnings)
	}
}

// pngChunk builds one PNG chunk.
func pngChunk(typ string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, uint32(len(data)))
	b.WriteString(typ)
	b.Write(data)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	return b.Bytes()
}

func TestImageBadInput(t *testing.T) {
	tools := need(t, ToolTesseract)
	// a few bytes that declare 100000 × 100000 pixels: refused before OCR
	var bomb bytes.Buffer
	bomb.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, 0 // 8 bit grey
	bomb.Write(pngChunk("IHDR", ihdr))
	bomb.Write(pngChunk("IEND", nil))
	_, err := extractBytes(t, bomb.Bytes(), "image/png", Options{Tools: tools})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(Reason(err), "100000 × 100000") {
		t.Errorf("pixel bomb: %v", err)
	}
	// a broken image
	good := pngOf(t, renderText(t, []string{"Bescheid"}, false))
	for name, b := range map[string][]byte{
		"header only": good[:30],
		"no image":    []byte("\x89PNG\r\n\x1a\nkaputt"),
	} {
		_, err := extractBytes(t, b, "image/png", Options{Tools: tools})
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: want ErrCorrupt, got %v", name, err)
		}
	}
	// truncated data after a valid header: tesseract fails, typed
	_, err = extractBytes(t, good[:len(good)/2], "image/png", Options{Tools: tools})
	if err != nil && !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated png: %v", err)
	}
}
