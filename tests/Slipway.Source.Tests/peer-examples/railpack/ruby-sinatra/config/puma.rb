port ENV['PORT'] || 4567
