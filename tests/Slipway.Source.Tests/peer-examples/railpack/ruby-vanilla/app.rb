puts "Hello from Ruby"
puts "Ruby version: #{RUBY_VERSION}"
