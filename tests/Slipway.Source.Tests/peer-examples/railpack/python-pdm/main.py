import strawberry
import numpy as np

print(np.__version__)
print(strawberry)
print("Hello from Python-PDM")
