"""Bank statements: Indian net-banking exports (CSV, TXT, XLSX) read into one list of lines."""
