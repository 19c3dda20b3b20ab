"""Every outside system behind one seam each: channels, payment gateways, speech to text, accounting."""
