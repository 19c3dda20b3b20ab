"""Speech to text: voice notes become text before the NLU reads them (faster-whisper by default)."""
