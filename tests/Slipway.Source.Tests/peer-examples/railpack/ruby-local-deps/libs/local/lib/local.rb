class Local
  def self.hi
    puts "Hello world from Local lib"
  end
end
