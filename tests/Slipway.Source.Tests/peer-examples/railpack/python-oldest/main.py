import sys

print(f'Python version: {sys.version.split()[0]}')
