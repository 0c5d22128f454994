Rails.application.routes.draw do
  root "welcome#index"
end
