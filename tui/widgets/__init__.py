"""The drill console's widgets: clock bar, dashboard, duties, feed, decision palette, key bar."""
