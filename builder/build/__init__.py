"""`notices build`: every file a build writes (plan), writing them atomically (write),
what a rebuild keeps (cache), the output folder (out_folder), worker processes (parallel).
"""
