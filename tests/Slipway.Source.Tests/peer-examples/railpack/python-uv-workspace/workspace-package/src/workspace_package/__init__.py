def main() -> None:
    print("Hello from workspace-package!", end="")
