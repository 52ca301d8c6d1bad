// Placeholder: the CLI runs from tsc's output in dist/. Bundling for cold start comes later.
