module aktenwerk

go 1.26.8
