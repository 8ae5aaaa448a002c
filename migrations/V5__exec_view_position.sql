-- exec_view (V3) joins the projections registry. No exec event predates it, so it reflects every event.
INSERT INTO projection_position (name, position)
SELECT 'exec_view', COALESCE((SELECT max(global_index) FROM domain_event_entry), 0);
