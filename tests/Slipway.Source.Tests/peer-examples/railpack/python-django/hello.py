def main():
    print("Hello from python-django!")


if __name__ == "__main__":
    main()
