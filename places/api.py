from django.contrib.gis.geos import Point
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView

from places.models import CityBoundary, District
from places.serializers import DistrictFeatureSerializer
from smartmap.api import bad_request
from smartmap.lib.coordinates import parse_lonlat


class DistrictList(ListAPIView):
    """Tbilisi's ten districts as a GeoJSON FeatureCollection, with the credit their licence asks for.

    OpenStreetMap's districts are ODbL: every copy carries "© OpenStreetMap contributors", so the
    collection has `attribution` (the text to show) and `licence` members, and so does each feature.
    """

    serializer_class = DistrictFeatureSerializer
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "contains",
                {"type": "string", "pattern": r"^-?[0-9]{1,3}(\.[0-9]+)?,-?[0-9]{1,2}(\.[0-9]+)?$"},
                description="lon,lat: only the district holding this point",
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        raw = request.query_params.get("contains")
        self.point = None
        if raw is not None:
            try:
                self.point = Point(*parse_lonlat(raw), srid=4326)
            except ValueError as exc:
                return bad_request(str(exc), "contains")
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        response.data["attribution"] = " · ".join(District.objects.attributions())
        response.data["licence"] = " · ".join(District.objects.licences())
        return response

    def get_queryset(self):
        if self.point is None:
            return District.objects.all()
        district = District.objects.for_point(self.point)
        if district is None or not CityBoundary.objects.covers(self.point):
            return District.objects.none()
        return District.objects.filter(pk=district.pk)
