module example.com/corpus/hello

go 1.19
