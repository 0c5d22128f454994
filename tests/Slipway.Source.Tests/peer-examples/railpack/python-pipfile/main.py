import cowsay

cowsay.cow("Hello from Python-Pipfile")
