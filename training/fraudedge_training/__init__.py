"""FraudEdge training: teacher -> distilled student -> ONNX -> int8 -> signed bundle (fe-bundle-1)."""
