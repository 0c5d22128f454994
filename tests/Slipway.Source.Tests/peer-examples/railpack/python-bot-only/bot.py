print("Hello from bot.py")
