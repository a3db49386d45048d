package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// bombPNG is a PNG whose header declares w × h pixels (the data is not
// there: decoding it would allocate first and fail later).
func bombPNG(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8 bit RGB
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestThumbnailImageAndLimits(t *testing.T) {
	ctx := context.Background()
	opts := ThumbOptions{Tools: &Tools{}, TempDir: t.TempDir()}
	img := image.NewNRGBA(image.Rect(0, 0, 800, 400))
	for y := 0; y < 400; y++ {
		for x := 0; x < 800; x++ {
			img.Set(x, y, color.NRGBA{200, 30, 30, uint8(x % 256)})
		}
	}
	var src bytes.Buffer
	if err := png.Encode(&src, img); err != nil {
		t.Fatal(err)
	}
	out, err := Thumbnail(ctx, bytes.NewReader(src.Bytes()), "image/png", opts)
	if err != nil {
		t.Fatal(err)
	}
	th, err := png.Decode(bytes.NewReader(out))
	if err != nil || th.Bounds().Dx() != 160 || th.Bounds().Dy() != 80 {
		t.Fatalf("thumbnail: %v %v", th.Bounds(), err)
	}
	// a very tall image: cut at three times the width
	tall := image.NewGray(image.Rect(0, 0, 200, 5000))
	src.Reset()
	png.Encode(&src, tall)
	if out, err = Thumbnail(ctx, bytes.NewReader(src.Bytes()), "image/png", opts); err != nil {
		t.Fatal(err)
	}
	if th, _ = png.Decode(bytes.NewReader(out)); th == nil || th.Bounds().Dx() != 160 || th.Bounds().Dy() != 480 {
		t.Fatalf("tall thumbnail: %v", th)
	}
	// a decompression bomb is refused from its header
	if _, err := Thumbnail(ctx, bytes.NewReader(bombPNG(100000, 100000)), "image/png", opts); !errors.Is(err, ErrTooLarge) || Retryable(err) {
		t.Fatalf("bomb: %v", err)
	}
	// too large input, garbage, text, PDF without pdftoppm
	small := opts
	small.MaxInputBytes = 100
	if _, err := Thumbnail(ctx, bytes.NewReader(make([]byte, 101)), "image/png", small); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("large input: %v", err)
	}
	if _, err := Thumbnail(ctx, bytes.NewReader([]byte("\x89PNG\r\n\x1a\nkaputt")), "image/png", opts); !errors.Is(err, ErrCorrupt) || Retryable(err) {
		t.Fatalf("corrupt image: %v", err)
	}
	if _, err := Thumbnail(ctx, bytes.NewReader([]byte("Vermerk")), "text/plain", opts); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("text: %v", err)
	}
	var tm *ErrToolMissing
	if _, err := Thumbnail(ctx, bytes.NewReader([]byte("%PDF-1.4\n%%EOF\n")), "application/pdf", opts); !errors.As(err, &tm) || !Retryable(err) {
		t.Fatalf("PDF without pdftoppm: %v", err)
	}
}
