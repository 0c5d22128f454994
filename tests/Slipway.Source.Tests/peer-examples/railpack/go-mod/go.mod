module github.com/railwayapp/railpack

go 1.23

require github.com/Code-Hex/Neo-cowsay/v2 v2.0.4

require (
	github.com/Code-Hex/go-wordwrap v1.0.0 // indirect
	github.com/mattn/go-runewidth v0.0.13 // indirect
	github.com/rivo/uniseg v0.2.0 // indirect
)
