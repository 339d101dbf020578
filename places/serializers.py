from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from places.models import District


class DistrictFeatureSerializer(GeoFeatureModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = District
        geo_field = "geom"
        fields = ["id", "number", "slug", "name", "name_ka", "name_en", "area_km2", "source", "attribution", "licence"]
