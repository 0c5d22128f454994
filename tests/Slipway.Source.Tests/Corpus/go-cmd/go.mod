module example.com/corpus/greeter

go 1.19
