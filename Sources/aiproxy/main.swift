import EdgeRuntime

print("aiproxy: runtime not wired yet")
