echo "Hello from shell script"
