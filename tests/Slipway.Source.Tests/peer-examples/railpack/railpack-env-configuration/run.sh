#!/bin/bash
echo "Hello from a non-standard script!"
