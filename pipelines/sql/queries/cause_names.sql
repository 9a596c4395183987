-- One row per cause of the taxonomy: its names in both languages, for labels on the pack.
select code, name_zh, name_en
from causes
order by sort_order, code
