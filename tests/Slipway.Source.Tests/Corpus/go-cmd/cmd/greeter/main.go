package main

import (
	"fmt"

	"example.com/corpus/greeter/internal/greeting"
)

func main() { fmt.Println(greeting.Text()) }
