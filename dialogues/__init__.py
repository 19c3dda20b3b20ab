"""Conversation state: active forms, slots, context between turns."""
