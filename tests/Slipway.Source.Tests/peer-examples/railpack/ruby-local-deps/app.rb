require "local"

puts "Hello from local"
Local.hi
