-- Accompaniment of a route ends by route (RouteRepository::SetMethodist: UPDATE ... WHERE
-- route_id = ? AND end_date IS NULL). Without this index every AssignRouteMethodist scanned and
-- locked the whole table — 50 000 rows in a 100 000-teacher region, and a lock on every one of
-- them held to the end of the transaction (found by `nmsctl load-region`: walking 15 000 routes
-- took 300 s).
ALTER TABLE methodist_assignments ADD KEY ix_ma_route (route_id, end_date);
