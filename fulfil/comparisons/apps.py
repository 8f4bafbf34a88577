from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    name = "fulfil.comparisons"
    label = "comparisons"
    verbose_name = "Published statistics (DfE benchmarks)"
