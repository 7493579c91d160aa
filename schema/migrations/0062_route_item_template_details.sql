-- The ИОМ template's row details (seed 001): section 2.1 «Тема» / «Мероприятие, на котором
-- представлен опыт», 2.2 «Наименование продукта» / «Где представлены, размещены, используются»,
-- section 3's sub-row (1 «с наставником», 2 «в качестве наставника»; nms.v1.RouteMentoringRole)
-- and the mentee's position of an «в качестве наставника» row.
ALTER TABLE route_items
  ADD COLUMN experience_topic VARCHAR(1000) NOT NULL DEFAULT '',
  ADD COLUMN experience_event VARCHAR(1000) NOT NULL DEFAULT '',
  ADD COLUMN product_title VARCHAR(1000) NOT NULL DEFAULT '',
  ADD COLUMN product_placement VARCHAR(1000) NOT NULL DEFAULT '',
  ADD COLUMN mentoring_role TINYINT NOT NULL DEFAULT 0,
  ADD COLUMN mentee_position VARCHAR(255) NOT NULL DEFAULT '';
-- Existing section 3 rows: the sub-row of their catalogue activity's kind (9 = as a mentor),
-- «с наставником» otherwise.
UPDATE route_items i LEFT JOIN activities a ON a.id = i.activity_id
  SET i.mentoring_role = IF(a.kind = 9, 2, 1)
  WHERE i.section = 7;
