"""`notices build`: the outputs of a build and writing them atomically (outputs), what a
rebuild keeps (cache), the output folder (out_folder), worker processes (parallel).
"""
