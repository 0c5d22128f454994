puts "Ruby version: #{RUBY_VERSION}"
