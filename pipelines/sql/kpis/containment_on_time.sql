-- Containment on time (SPEC §8): D3 steps done by their due date over the D3 steps due in
-- the month, by customer and owner (macro step_on_time).
select * from step_on_time('d3')
