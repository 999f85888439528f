"""What every stage uses: errors with their source positions, the rules for file names,
files and folders the tool writes or reads, the lock of an output folder, stop signals
and child processes, the cache folder.
"""
