-- Position category of an employment (nms.v1.PositionCategory): 1 pedagogical worker, 2 manager
-- (head / deputy), 3 other staff. The regulations count "педагогические работники" and
-- "педагогические работники и управленческие кадры" as written; other staff count in neither.
-- Existing rows: managers where a management role is set, pedagogical otherwise; a row written
-- without the column (0) is read the same way.
ALTER TABLE employments ADD COLUMN position_category TINYINT NOT NULL DEFAULT 0;
UPDATE employments SET position_category = IF(management_role > 0, 2, 1);
