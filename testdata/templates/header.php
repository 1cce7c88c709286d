<?php /* WordPress header */ ?>
<script src="<?php echo esc_url($cdn); ?>/fbevents.js"></script>
<script src="https://<?= $host ?>/x.js"></script>
<?php echo "<script src=\"https://snap.licdn.com/li.lms-analytics/insight.min.js\"></script>"; ?>
