# Describe your gem and declare its dependencies:
Gem::Specification.new do |s|
  s.name = "local"
  s.version = "0.1.0"
  s.authors = ["Nixpacks"]
  s.homepage = ""
  s.summary = ""
  s.description = ""
  s.license = "MIT"
  s.files = ["lib/local.rb"]
end
