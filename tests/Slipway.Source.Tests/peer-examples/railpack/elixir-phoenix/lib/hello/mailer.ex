defmodule Hello.Mailer do
  use Swoosh.Mailer, otp_app: :hello
end
