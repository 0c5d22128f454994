def get_connection_string():
    return "postgresql://localhost/test"
