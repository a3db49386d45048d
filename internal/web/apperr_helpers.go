package web

import "aktenwerk/internal/apperr"

func apperrField(field, msg string) apperr.FieldError {
	return apperr.FieldError{Field: field, Message: msg}
}
