#!/bin/zsh

# Output the container architecture
uname -m