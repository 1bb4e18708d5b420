ALTER TABLE shop_orders ADD COLUMN note text;
