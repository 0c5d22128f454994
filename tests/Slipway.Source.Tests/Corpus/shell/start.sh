#!/bin/bash
echo "hello from shell on port ${PORT}"
