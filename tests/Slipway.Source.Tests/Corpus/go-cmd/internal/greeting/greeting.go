package greeting

func Text() string { return "hello from go-cmd" }
