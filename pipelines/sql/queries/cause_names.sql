-- One row per cause of the taxonomy: its names in both languages, for labels on the pack.
SELECT code, name_zh, name_en
FROM causes
ORDER BY sort_order, code
